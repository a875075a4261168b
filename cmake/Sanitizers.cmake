# Instrumented builds: SIGNALMON_SANITIZE=address,undefined (or thread) instruments everything we
# build; SIGNALMON_FUZZ instruments everything with ASan+UBSan and libFuzzer's coverage hooks and
# also builds the libFuzzer targets in fuzz/ (clang only), so one build runs the tests and the
# fuzzers (scripts/ci_checks.sh asan + fuzz).
set(SIGNALMON_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list, e.g. address,undefined or thread")
option(SIGNALMON_FUZZ "Build the libFuzzer targets in fuzz/ with ASan+UBSan (needs clang >= 16)" OFF)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
  # libstdc++ 12 only declares std::expected when __cpp_concepts >= 202002, which clang before 19
  # does not claim although clang 16 implements what <expected> needs (P0848); clang 14/15 do not.
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    message(FATAL_ERROR "clang ${CMAKE_CXX_COMPILER_VERSION} cannot compile libstdc++'s std::expected: use "
                        "clang++-16 (apt-get install clang-16 libclang-rt-16-dev) or g++")
  endif()
  add_compile_options(-U__cpp_concepts -D__cpp_concepts=202002L)
endif()

if(SIGNALMON_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SIGNALMON_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-16, see fuzz/README.md")
  endif()
  if(SIGNALMON_SANITIZE)
    message(FATAL_ERROR "SIGNALMON_FUZZ brings its own sanitizers; leave SIGNALMON_SANITIZE empty")
  endif()
  # Everything is instrumented for coverage and checked; only the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
elseif(SIGNALMON_SANITIZE)
  add_compile_options(-fsanitize=${SIGNALMON_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SIGNALMON_SANITIZE})
endif()
if(SIGNALMON_FUZZ OR SIGNALMON_SANITIZE)
  # libstdc++'s own checks as well: operator* on an empty optional or expected, an out-of-range [].
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
