-- What the unique keys of fixture.sql keep out: two rows of parent 13
-- on one sort_key, and two most_recent rows of parent 16. The keys go
-- first (libsm then refuses the table; smcc audit reads it all the same).
ALTER TABLE shop_transitions
  DROP INDEX index_shop_transitions_parent_sort,
  DROP INDEX index_shop_transitions_parent_most_recent,
  ADD KEY shop_parent_sort (shop_id, sort_key);
INSERT INTO shop_transitions
  (id, from_state, to_state, metadata, sort_key, shop_id, most_recent,
   created_at, updated_at) VALUES
-- 13: two rows on sort_key 10
(16, 'pending', 'checking_out', '{}', 10, 13, NULL,
 '2024-05-13 00:00:00', '2024-05-13 00:00:01'),
(17, 'checking_out', 'cancelled', '{}', 10, 13, 1,
 '2024-05-13 00:00:01', '2024-05-13 00:00:01'),
-- 16: both rows are
(21, 'pending', 'checking_out', '{}', 10, 16, 1,
 '2024-05-16 00:00:00', '2024-05-16 00:00:00'),
(22, 'checking_out', 'purchased', '{}', 20, 16, 1,
 '2024-05-16 00:00:01', '2024-05-16 00:00:01');
