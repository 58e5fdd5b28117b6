# Installation (GNUInstallDirs) and the Debian package (cpack -G DEB). The installed binary
# finds its shaders and sample clip relative to itself (<bindir>/../share/facewarp), so the
# package works with no source tree.
include(GNUInstallDirs)

install(TARGETS facewarp RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY shaders/ DESTINATION ${CMAKE_INSTALL_DATADIR}/facewarp/shaders)
install(FILES assets/astronaut_zoom_pan_rotate_512.mp4
        DESTINATION ${CMAKE_INSTALL_DATADIR}/facewarp/assets)
if(EXISTS ${PROJECT_SOURCE_DIR}/presets)
  install(DIRECTORY presets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/facewarp/presets)
endif()
install(FILES packaging/facewarp.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES packaging/facewarp.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES README.md NOTICE docs/design.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/images DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The man page, from --help, rebuilt whenever the binary is.
set(_man ${PROJECT_BINARY_DIR}/facewarp.1)
add_custom_command(
  OUTPUT ${_man}
  COMMAND ${CMAKE_COMMAND} -DFACEWARP=$<TARGET_FILE:facewarp> -DOUTPUT=${_man}
          -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/packaging/ManPage.cmake
  DEPENDS facewarp ${PROJECT_SOURCE_DIR}/packaging/ManPage.cmake
  COMMENT "Writing the man page from facewarp --help")
add_custom_target(manpage ALL DEPENDS ${_man})
install(FILES ${_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME facewarp)
set(CPACK_PACKAGE_VENDOR "facewarp")
set(CPACK_PACKAGE_CONTACT "facewarp maintainers <facewarp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "real-time face filter: slimmer faces, larger eyes")
set(CPACK_PACKAGE_DESCRIPTION
    "facewarp slims faces and enlarges eyes live on a webcam, on video files and on photos, "
    "with a preview window, a virtual camera (v4l2loopback) and pipes.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The landmark model; v4l2loopback for the virtual camera is optional.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libdlib-data")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "v4l2loopback-dkms, v4l-utils")
include(CPack)
