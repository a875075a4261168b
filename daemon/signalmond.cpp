// signalmond: the polling daemon. All logic lives in src/app.
#include "app/daemon_main.hpp"

int main(int argc, char** argv) { return signalmon::app::run_signalmond(argc, argv); }
