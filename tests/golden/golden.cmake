# golden.cmake - run smcc twice with every emit kind on one input, check
# both runs give the same bytes, then diff with the golden directory
# (or rewrite it when SMCC_UPDATE_GOLDEN=1). A missing golden fails.
# The C must compile with gcc and clang at -std=c99 -pedantic -Werror.
function(emit dir)
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir})
  execute_process(COMMAND ${SMCC} -o ${dir} --emit c --emit dot
                    --emit sql --emit json --emit mermaid ${SM}
                  RESULT_VARIABLE rc ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "smcc failed (${rc}) on ${SM}:\n${e}")
  endif()
endfunction()

emit(${OUT})
emit(${OUT}.again)
set(files ${NAME}_sm.h ${NAME}_sm.c ${NAME}.dot ${NAME}.sql ${NAME}.json
  ${NAME}.mermaid.md)
foreach(f ${files})
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                    ${OUT}/${f} ${OUT}.again/${f} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${f}: two runs differ")
  endif()
  if("$ENV{SMCC_UPDATE_GOLDEN}" STREQUAL "1")
    file(COPY ${OUT}/${f} DESTINATION ${GOLDEN})
    continue()
  endif()
  execute_process(COMMAND diff -u ${GOLDEN}/${f} ${OUT}/${f}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE d)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${f} differs from the golden:\n${d}")
  endif()
endforeach()

if(NOT CLANG)
  message(FATAL_ERROR "clang not found")
endif()
foreach(cc ${CC} ${CLANG})
  execute_process(COMMAND ${cc} -std=c99 -Wall -Wextra -pedantic -Werror
                    -I${OUT} -I${INC1} -I${INC2} -c ${OUT}/${NAME}_sm.c
                    -o ${OUT}/${NAME}_sm.o
                  RESULT_VARIABLE rc ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cc} rejects ${NAME}_sm.c:\n${e}")
  endif()
endforeach()
