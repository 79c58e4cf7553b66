# typed.cmake - compile tests of the typed API (cmake -P; see
# CMakeLists.txt). MODE=pass: use.c compiles with each compiler in each
# C standard at -Wall -Wextra -pedantic -Werror. MODE=fail: under each
# compiler and flag set, misuse.c compiles with MISUSE=0 (so the flags
# are fine) and fails for every MISUSE=N with an error that names the
# line marked "misuse N".
if(NOT CLANG)
  message(FATAL_ERROR "clang not found")
endif()
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${SMCC} -o ${OUT} ${EXAMPLES}/order/order.sm
                  ${EXAMPLES}/turnstile/turnstile.sm
                RESULT_VARIABLE rc ERROR_VARIABLE e)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "smcc failed (${rc}):\n${e}")
endif()
set(inc -I${OUT} -I${INC1} -I${INC2})

# Compile src with flags (a list); sets rc and err in the caller.
function(compile cc src flags)
  execute_process(COMMAND ${cc} ${flags} ${inc} -c ${src}
                    -o ${OUT}/out.o
                  RESULT_VARIABLE r ERROR_VARIABLE e OUTPUT_VARIABLE o)
  set(rc ${r} PARENT_SCOPE)
  set(err "${o}${e}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "pass")
  foreach(cc ${CC} ${CLANG})
    foreach(std c99 c11 c17 gnu99 gnu11)
      compile(${cc} ${SRC}/use.c
        "-std=${std};-Wall;-Wextra;-pedantic;-Werror;-D_POSIX_C_SOURCE=200809L")
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${cc} -std=${std} rejects use.c:\n${err}")
      endif()
    endforeach()
  endforeach()
  return()
endif()

# The line of misuse.c marked "misuse N", into `line`.
function(marked n)
  file(STRINGS ${SRC}/misuse.c lines)
  set(i 0)
  foreach(l IN LISTS lines)
    math(EXPR i "${i} + 1")
    if(l MATCHES "/\\* misuse ${n} \\*/")
      set(line ${i} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "misuse.c has no line marked 'misuse ${n}'")
endfunction()

# Flag sets, '+' between flags (a CMake list cannot hold lists).
set(flagsets
  "-Wall+-Wextra"
  "-Wall+-Wextra+-w"
  "-Wall+-Wextra+-std=c99+-Wno-error+-Wno-enum-conversion+-Wno-int-conversion+-Wno-incompatible-pointer-types"
  "-Wall+-Wextra+-std=c11+-w+-O2+-fpermissive"
  "-Wall+-Wextra+-std=gnu17+-w+-Wno-error")
set(count 23)
foreach(cc ${CC} ${CLANG})
  foreach(set IN LISTS flagsets)
    string(REPLACE "+" ";" flags "${set}")
    string(REPLACE "+" " " shown "${set}")
    compile(${cc} ${SRC}/misuse.c "${flags};-DMISUSE=0")
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${cc} ${shown}: the right use fails:\n${err}")
    endif()
    foreach(n RANGE 1 ${count})
      marked(${n})
      compile(${cc} ${SRC}/misuse.c "${flags};-DMISUSE=${n}")
      if(rc EQUAL 0)
        message(FATAL_ERROR "${cc} ${shown}: misuse ${n} compiles")
      endif()
      # The error may point into order_sm.h (a macro); then a note
      # names the line of misuse.c it was expanded on.
      if(NOT err MATCHES "error:" OR NOT err MATCHES "misuse\\.c:${line}:")
        message(FATAL_ERROR
          "${cc} ${shown}: misuse ${n} fails, but not with an error on "
          "line ${line}:\n${err}")
      endif()
    endforeach()
  endforeach()
endforeach()
message(STATUS "${count} misuses x 5 flag sets x 2 compilers: all rejected")
