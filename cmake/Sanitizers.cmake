# SIGNALMON_SANITIZE=address,undefined (or thread) instruments everything we build.
set(SIGNALMON_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list, e.g. address,undefined or thread")
if(SIGNALMON_SANITIZE)
  add_compile_options(-fsanitize=${SIGNALMON_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SIGNALMON_SANITIZE})
endif()
