# check_emit.cmake - run gen_order twice, diff against the goldens
# (SMCC_UPDATE_GOLDEN=1 rewrites them), compile the C with both
# compilers, validate the JSON and render the dot. Any failure fails.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${o}${e}")
  endif()
endfunction()

set(files order_sm.h order_sm.c order.dot order.sql order.json
  order.mermaid.md)
file(REMOVE_RECURSE ${OUT} ${OUT}2)
file(MAKE_DIRECTORY ${OUT} ${OUT}2)
run(${GEN} ${OUT})
run(${GEN} ${OUT}2)
foreach(f ${files})
  run(${CMAKE_COMMAND} -E compare_files ${OUT}/${f} ${OUT}2/${f})
  if("$ENV{SMCC_UPDATE_GOLDEN}" STREQUAL "1")
    file(COPY ${OUT}/${f} DESTINATION ${GOLDEN})
  else()
    run(${CMAKE_COMMAND} -E compare_files ${GOLDEN}/${f} ${OUT}/${f})
  endif()
endforeach()
if(NOT CLANG)
  message(FATAL_ERROR "clang not found")
endif()
foreach(cc ${CC} ${CLANG})
  run(${cc} -std=c99 -Wall -Wextra -pedantic -Werror -I${OUT} -I${INC1}
      -I${INC2} -c ${OUT}/order_sm.c -o ${OUT}/order_sm.o)
endforeach()
if(NOT PYTHON OR NOT DOT)
  message(FATAL_ERROR "python3 or dot not found")
endif()
run(${PYTHON} -m json.tool ${OUT}/order.json)
run(${DOT} -Tsvg ${OUT}/order.dot -o ${OUT}/order.svg)
