# smcc_generate(TARGET t FILES a.sm b.sm... [OUT_DIR dir]
#               [EMIT c dot sql json mermaid])
#
# One custom command per .sm file runs the compiler; its outputs are
# added to t. The command depends on the .sm file and on the compiler,
# so editing either regenerates. EMIT defaults to c; C output is added
# to t's sources, its directory to t's include path, and t is linked to
# smcc::sm, the runtime the generated code needs.
function(smcc_generate)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;OUT_DIR" "FILES;EMIT")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "smcc_generate: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TARGET)
    message(FATAL_ERROR "smcc_generate: TARGET is required")
  endif()
  if(NOT TARGET ${arg_TARGET})
    message(FATAL_ERROR "smcc_generate: '${arg_TARGET}' is not a target")
  endif()
  if(NOT arg_FILES)
    message(FATAL_ERROR "smcc_generate: FILES names no .sm file")
  endif()
  if(NOT arg_EMIT)
    set(arg_EMIT c)
  endif()
  foreach(kind IN LISTS arg_EMIT)
    if(NOT kind MATCHES "^(c|dot|sql|json|mermaid)$")
      message(FATAL_ERROR "smcc_generate: unknown EMIT kind '${kind}' (expected c, dot, sql, json or mermaid)")
    endif()
  endforeach()
  if(NOT arg_OUT_DIR)
    set(arg_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/smcc_gen)
  endif()
  if(NOT TARGET smcc::smcc)
    message(FATAL_ERROR "smcc_generate: the smcc::smcc target is not defined")
  endif()
  # In-tree smcc::smcc is an ALIAS (depend on the real target so it is
  # built first); installed it is IMPORTED, where ALIASED_TARGET is not
  # meaningful: depend on its file instead.
  get_target_property(imported smcc::smcc IMPORTED)
  if(imported)
    set(compiler smcc::smcc)
    set(compiler_dep $<TARGET_FILE:smcc::smcc>)
  else()
    get_target_property(compiler smcc::smcc ALIASED_TARGET)
    if(NOT compiler)
      set(compiler smcc::smcc)
    endif()
    set(compiler_dep ${compiler})
  endif()

  set(emit_args)
  foreach(kind IN LISTS arg_EMIT)
    list(APPEND emit_args --emit ${kind})
  endforeach()

  foreach(file IN LISTS arg_FILES)
    get_filename_component(abs ${file} ABSOLUTE)
    get_filename_component(name ${file} NAME_WE)
    set(outputs)
    if("c" IN_LIST arg_EMIT)
      list(APPEND outputs ${arg_OUT_DIR}/${name}_sm.h ${arg_OUT_DIR}/${name}_sm.c)
    endif()
    foreach(kind dot sql json)
      if(kind IN_LIST arg_EMIT)
        list(APPEND outputs ${arg_OUT_DIR}/${name}.${kind})
      endif()
    endforeach()
    if("mermaid" IN_LIST arg_EMIT)
      list(APPEND outputs ${arg_OUT_DIR}/${name}.mermaid.md)
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${compiler} -o ${arg_OUT_DIR} ${emit_args} ${abs}
      DEPENDS ${abs} ${compiler_dep}
      COMMENT "smcc ${file}"
      VERBATIM)
    target_sources(${arg_TARGET} PRIVATE ${outputs})
  endforeach()

  if("c" IN_LIST arg_EMIT)
    target_include_directories(${arg_TARGET} PUBLIC $<BUILD_INTERFACE:${arg_OUT_DIR}>)
    target_link_libraries(${arg_TARGET} PUBLIC smcc::sm)
  endif()
endfunction()
