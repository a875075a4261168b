# `cpack -G DEB`: a Debian package whose Depends come from the binaries' shared libraries
# (dpkg-shlibdeps, from dpkg-dev), with maintainer scripts that create the user and tell systemd.
set(CPACK_PACKAGE_NAME signalmon)
set(CPACK_PACKAGE_VENDOR "signalmon")
set(CPACK_PACKAGE_CONTACT "signalmon maintainers <ops@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "signalmond polls RSS/Atom/RDF/JSON feeds and filings, matches every item against
analysts' briefs in one Hyperscan pass, scores and stores the hits; signalctl queries and operates it.")
# A Debian package installs under /usr whatever prefix `cmake --install` defaults to here, so the
# build tree the tests ran in can be packaged as it is.
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# sysusers and the unit need systemd; without it the maintainer scripts fall back to useradd.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd, tzdata")  # tzdata: feeds.yaml's `timezone`
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/signalmon")

# Everything under the config folder is a conffile: upgrades keep the operator's edits.
file(GLOB signalmon_shipped_rules RELATIVE ${PROJECT_SOURCE_DIR}/rules CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rules/*.yaml)
set(signalmon_conffiles "${SIGNALMON_CONFIG_DIR}/feeds.yaml\n")
foreach(rule_file ${signalmon_shipped_rules})
  string(APPEND signalmon_conffiles "${SIGNALMON_CONFIG_DIR}/rules/${rule_file}\n")
endforeach()
file(WRITE ${PROJECT_BINARY_DIR}/debian/conffiles "${signalmon_conffiles}")
foreach(script postinst prerm postrm)
  configure_file(${PROJECT_SOURCE_DIR}/systemd/debian/${script} ${PROJECT_BINARY_DIR}/debian/${script} @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_BINARY_DIR}/debian/conffiles ${PROJECT_BINARY_DIR}/debian/postinst
    ${PROJECT_BINARY_DIR}/debian/prerm ${PROJECT_BINARY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_GENERATOR DEB)
include(CPack)
