# smcc_warnings(target): the project's warning flags on target's sources.
# Generated scanner/parser sources get relaxed flags where they are added.
function(smcc_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra
    $<$<BOOL:${SMCC_WERROR}>:-Werror>)
  target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L)
endfunction()
