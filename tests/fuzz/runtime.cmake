# The runtime's fuzz targets, next to the compiler's: the MySQL URL
# parser (every entry that takes a URL or options, a planted password
# that no message may show) and metadata validation. Each is a libFuzzer
# binary when SMCC_FUZZ (clang; tests/fuzz/run_runtime.sh), and its
# corpus (corpus_NAME/: seeds and minimised reproducers) is replayed as
# the test fuzz_replay_NAME in every build.
function(sm_runtime_fuzz name)
  set(inc ${PROJECT_SOURCE_DIR}/runtime/src
    ${PROJECT_SOURCE_DIR}/runtime/src/mysql ${PROJECT_SOURCE_DIR}/tests/runtime)
  add_executable(fuzz_${name}_replay fuzz_replay.c fuzz_${name}.c)
  target_include_directories(fuzz_${name}_replay PRIVATE ${inc})
  target_link_libraries(fuzz_${name}_replay PRIVATE sm PkgConfig::JANSSON)
  smcc_warnings(fuzz_${name}_replay)
  file(GLOB corpus CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_SOURCE_DIR}/corpus_${name}/*)
  list(SORT corpus)
  add_test(NAME fuzz_replay_${name} COMMAND fuzz_${name}_replay ${corpus})
  if(SMCC_FUZZ)
    add_executable(fuzz_${name} fuzz_${name}.c)
    target_include_directories(fuzz_${name} PRIVATE ${inc})
    target_compile_options(fuzz_${name} PRIVATE
      -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_${name} PRIVATE
      -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_${name} PRIVATE sm PkgConfig::JANSSON)
    smcc_warnings(fuzz_${name})
  endif()
endfunction()

if(SMCC_FUZZ)
  target_compile_options(sm_obj PRIVATE -fsanitize=fuzzer-no-link)
endif()
# jansson is fuzz_metadata's reference (tests/runtime/jref.h).
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
if(SMCC_MYSQL)
  sm_runtime_fuzz(url)
endif()
sm_runtime_fuzz(metadata)
