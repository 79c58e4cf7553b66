-- The table of the operator CLI tests, for shop.sm: healthy histories
-- (parents 1-6) and a corruption of each kind the audit knows that the
-- unique keys let in (parents 11, 12, 14, 15, 17, 18; corrupt.sql adds
-- 13 and 16, which need the keys gone). Fixed ids and times, so that
-- every output is exact.
DROP TABLE IF EXISTS shop_transitions;
DROP TABLE IF EXISTS shops;
CREATE TABLE shops (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO shops VALUES (1), (2), (3), (4), (5), (6),
  (11), (12), (13), (14), (15), (16), (17), (18);
CREATE TABLE shop_transitions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  from_state VARCHAR(255) NULL,
  to_state VARCHAR(255) NOT NULL,
  metadata JSON,
  sort_key INT NOT NULL,
  shop_id BIGINT NOT NULL,
  most_recent TINYINT(1) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY index_shop_transitions_parent_sort (shop_id, sort_key),
  UNIQUE KEY index_shop_transitions_parent_most_recent (shop_id, most_recent)
) ENGINE=InnoDB;
INSERT INTO shop_transitions
  (id, from_state, to_state, metadata, sort_key, shop_id, most_recent,
   created_at, updated_at) VALUES
-- 1: checkout, pay, ship
(1, 'pending', 'checking_out', '{}', 10, 1, NULL,
 '2024-05-01 12:00:00', '2024-05-01 12:00:01'),
(2, 'checking_out', 'purchased', '{"paid":true,"by":"card"}', 20, 1, NULL,
 '2024-05-01 12:00:01', '2024-05-01 12:00:02.25'),
(3, 'purchased', 'shipped', '{"carrier":"post"}', 30, 1, 1,
 '2024-05-01 12:00:02.25', '2024-05-01 12:00:02.25'),
-- 2: written by Statesman (from_state NULL)
(4, NULL, 'checking_out', '{}', 10, 2, NULL,
 '2024-05-02 08:30:00', '2024-05-02 09:00:00'),
(5, NULL, 'cancelled', '{"reason":"changed\\nmind"}', 20, 2, 1,
 '2024-05-02 09:00:00', '2024-05-02 09:00:00'),
-- 3: written before checking_out was renamed from paying
(6, 'pending', 'paying', '{}', 10, 3, NULL,
 '2024-05-03 10:00:00', '2024-05-03 10:00:01'),
(7, 'paying', 'failed', '{}', 20, 3, NULL,
 '2024-05-03 10:00:01', '2024-05-03 10:00:02'),
(8, 'failed', 'checking_out', '{}', 30, 3, 1,
 '2024-05-03 10:00:02', '2024-05-03 10:00:02'),
-- 4: through on_hold, retired since
(9, 'pending', 'checking_out', '{}', 10, 4, NULL,
 '2024-05-04 11:00:00', '2024-05-04 11:00:01'),
(10, 'checking_out', 'on_hold', '{}', 20, 4, NULL,
 '2024-05-04 11:00:01', '2024-05-04 11:00:02'),
(11, 'on_hold', 'purchased', '{}', 30, 4, 1,
 '2024-05-04 11:00:02', '2024-05-04 11:00:02'),
-- 5: no history; 6: cancelled (or aborted) at once
(12, NULL, 'cancelled', '{}', 10, 6, 1,
 '2024-05-06 06:00:00', '2024-05-06 06:00:00'),
-- 11: pending -> shipped is no transition
(13, 'pending', 'shipped', '{}', 10, 11, 1,
 '2024-05-11 00:00:00', '2024-05-11 00:00:00'),
-- 12: from_state says purchased; the row before is in checking_out
(14, 'pending', 'checking_out', '{}', 10, 12, NULL,
 '2024-05-12 00:00:00', '2024-05-12 00:00:01'),
(15, 'purchased', 'failed', '{}', 20, 12, 1,
 '2024-05-12 00:00:01', '2024-05-12 00:00:01'),
-- 14: the row on sort_key 20 was written before the one on 10
(18, 'checking_out', 'purchased', '{}', 20, 14, 1,
 '2024-05-14 00:00:01', '2024-05-14 00:00:01'),
(19, 'pending', 'checking_out', '{}', 10, 14, NULL,
 '2024-05-14 00:00:00', '2024-05-14 00:00:01'),
-- 15: no row is most_recent
(20, 'pending', 'checking_out', '{}', 10, 15, NULL,
 '2024-05-15 00:00:00', '2024-05-15 00:00:00'),
-- 17: most_recent is on the first row, not the last
(23, 'pending', 'checking_out', '{}', 10, 17, 1,
 '2024-05-17 00:00:00', '2024-05-17 00:00:00'),
(24, 'checking_out', 'purchased', '{}', 20, 17, NULL,
 '2024-05-17 00:00:01', '2024-05-17 00:00:01'),
-- 18: a state no version of shop.sm declares
(25, 'pending', 'archived', '{}', 10, 18, 1,
 '2024-05-18 00:00:00', '2024-05-18 00:00:00');
