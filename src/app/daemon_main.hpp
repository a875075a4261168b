// signalmond's command line and lifetime: parse options, load config and rules, run the scheduler.
#pragma once

namespace signalmon::app {

int run_signalmond(int argc, char** argv);

}  // namespace signalmon::app
