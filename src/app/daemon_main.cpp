// TEMPORARY skeleton: replaced by the real daemon in the app module.
#include "app/daemon_main.hpp"

namespace signalmon::app {

int run_signalmond(int, char**) { return 1; }

}  // namespace signalmon::app
