# What `cmake --install` lays out besides the two binaries (daemon/CMakeLists.txt): the service's
# configuration and rules, the systemd unit, the sysusers.d entry and the documentation.
include(GNUInstallDirs)

set(SIGNALMON_CONFIG_DIR "/etc/signalmon" CACHE PATH "Where feeds.yaml, rules/ and credentials/ of the service go")

# signalmon_systemd_dir(<variable> <systemd.pc variable> <fallback>): a directory systemd reads.
function(signalmon_systemd_dir variable pc_variable fallback)
  pkg_get_variable(found systemd ${pc_variable})
  if(NOT found)
    set(found "${fallback}")
  endif()
  set(${variable} "${found}" CACHE PATH "systemd's ${pc_variable}")
endfunction()
signalmon_systemd_dir(SIGNALMON_SYSTEMD_UNIT_DIR systemdsystemunitdir /lib/systemd/system)
signalmon_systemd_dir(SIGNALMON_SYSUSERS_DIR sysusersdir /usr/lib/sysusers.d)

# The unit and the config name the shipped paths; rewrite them at install time, so that
# `cmake --install --prefix P` gets a unit that runs P/bin/signalmond.
function(signalmon_install_with_paths source destination_dir)
  get_filename_component(name ${source} NAME)
  set(staged ${PROJECT_BINARY_DIR}/install/${name})
  install(CODE "
    file(READ \"${source}\" text)
    string(REPLACE \"/usr/bin/\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/\" text \"\${text}\")
    string(REPLACE \"/etc/signalmon\" \"${SIGNALMON_CONFIG_DIR}\" text \"\${text}\")
    file(WRITE \"${staged}\" \"\${text}\")")
  install(FILES ${staged} DESTINATION ${destination_dir})
endfunction()

signalmon_install_with_paths(${PROJECT_SOURCE_DIR}/systemd/feeds.yaml ${SIGNALMON_CONFIG_DIR})
# The concept library is live; the example brief is documentation, so a fresh install alerts on
# nothing until an analyst writes or copies a brief.
install(FILES ${PROJECT_SOURCE_DIR}/rules/concepts.yaml DESTINATION ${SIGNALMON_CONFIG_DIR}/rules)
install(FILES ${PROJECT_SOURCE_DIR}/rules/rdm-065-open-weights.yaml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# Alert secrets handed to the service by LoadCredential=: readable by root only.
# The background corpus that `brief import` and `rules check --calibrate` measure noise on without a store.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tests/data/eval/background/ DESTINATION ${CMAKE_INSTALL_DATADIR}/signalmon/background
        FILES_MATCHING PATTERN "*.jsonl" PATTERN "LICENSES.md")
install(DIRECTORY DESTINATION ${SIGNALMON_CONFIG_DIR}/credentials DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
signalmon_install_with_paths(${PROJECT_SOURCE_DIR}/systemd/signalmond.service ${SIGNALMON_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/systemd/signalmon.sysusers DESTINATION ${SIGNALMON_SYSUSERS_DIR} RENAME signalmon.conf)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/webhook.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
