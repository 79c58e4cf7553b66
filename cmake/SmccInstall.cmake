# SmccInstall.cmake - install rules: smcc, libsm (static + shared), the
# public headers, the CMake package (find_package(smcc CONFIG)), the
# pkg-config file sm.pc and the man pages. Included last by the top-level
# CMakeLists.txt, so every target it names already exists.
include(CMakePackageConfigHelpers)

set(SMCC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/smcc)
set(smcc_export_targets sm sm_shared)
if(TARGET smcc)
  list(APPEND smcc_export_targets smcc)
endif()

install(TARGETS ${smcc_export_targets} EXPORT smccTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    NAMELINK_COMPONENT Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(smcc_headers sm.h def.h export.h)
if(SMCC_MYSQL)
  list(APPEND smcc_headers mysql.h)
endif()
list(TRANSFORM smcc_headers PREPEND ${PROJECT_SOURCE_DIR}/runtime/include/sm/)
install(FILES ${smcc_headers}
  ${PROJECT_BINARY_DIR}/runtime/include/sm/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sm)
# For store implementers only, apart as libgit2 keeps its sys/ headers.
install(FILES ${PROJECT_SOURCE_DIR}/runtime/include/sm/sys/store.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sm/sys)

install(EXPORT smccTargets NAMESPACE smcc:: DESTINATION ${SMCC_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/smccConfig.cmake.in
  ${PROJECT_BINARY_DIR}/smccConfig.cmake
  INSTALL_DESTINATION ${SMCC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/smccConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/smccConfig.cmake
  ${PROJECT_BINARY_DIR}/smccConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/SmccGenerate.cmake
  DESTINATION ${SMCC_CMAKE_DIR})

# sm.pc: Libs links libsm (shared when both exist, as the linker picks);
# the static link needs Requires.private/Libs.private (pkg-config --static).
set(SM_PC_REQUIRES_PRIVATE "")
if(SMCC_MYSQL)
  string(APPEND SM_PC_REQUIRES_PRIVATE "libmariadb")
endif()
# Relocatable: prefix is found from the .pc file's own place, so
# `cmake --install --prefix P` works whatever CMAKE_INSTALL_PREFIX was.
file(RELATIVE_PATH SM_PC_TO_PREFIX
  /x/${CMAKE_INSTALL_LIBDIR}/pkgconfig /x)
configure_file(${CMAKE_CURRENT_LIST_DIR}/sm.pc.in
  ${PROJECT_BINARY_DIR}/sm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sm.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/man/smcc.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/man/sm.5
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
