# The manual pages signalmond(8), signalctl(1) and signalmon-rules(5), written in scdoc (man/*.scd)
# and built to gzipped roff at build time, as Debian ships them; installed by `cmake --install`
# and so by the .deb.
find_program(SIGNALMON_SCDOC scdoc)
if(NOT SIGNALMON_SCDOC)
  message(FATAL_ERROR "scdoc not found (it builds the man pages): install it with `apt-get install scdoc`")
endif()
set(signalmon_manpages)
foreach(page signalmond.8 signalctl.1 signalmon-rules.5)
  set(source ${PROJECT_SOURCE_DIR}/man/${page}.scd)
  set(built ${PROJECT_BINARY_DIR}/man/${page}.gz)
  add_custom_command(OUTPUT ${built}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND sh -c "${SIGNALMON_SCDOC} < '${source}' | gzip -9n > '${built}'"
    DEPENDS ${source} VERBATIM)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  install(FILES ${built} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  list(APPEND signalmon_manpages ${built})
endforeach()
add_custom_target(signalmon_manpages ALL DEPENDS ${signalmon_manpages})
