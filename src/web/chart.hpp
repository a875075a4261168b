// The ledger's chart: confirm and kill stories per period as paired bars, an inline SVG drawn on
// the server (no script, nothing fetched), every bar titled with its period and count.
#pragma once

#include <string>

#include "ledger/ledger.hpp"

namespace signalmon::web {

std::string evidence_chart(const ledger::BriefLedger& ledger);

}  // namespace signalmon::web
