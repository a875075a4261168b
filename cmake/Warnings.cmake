# Warnings every target of ours compiles with; clean under g++ 12.
add_library(signalmon_warnings INTERFACE)
target_compile_options(signalmon_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2
  # Designated initializers leave defaulted members out on purpose.
  -Wno-missing-field-initializers)
option(SIGNALMON_WERROR "Treat warnings as errors" OFF)
if(SIGNALMON_WERROR)
  target_compile_options(signalmon_warnings INTERFACE -Werror)
endif()
