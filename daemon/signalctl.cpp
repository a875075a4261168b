// signalctl: query and operate signalmon. All logic lives in src/cli.
#include "cli/command.hpp"

int main(int argc, char** argv) { return signalmon::cli::run_signalctl(argc, argv); }
