// Tests for src/cli/store_access.cpp: CSV cells that a spreadsheet cannot run as formulas.
#include <doctest/doctest.h>

#include "cli/store_access.hpp"

using namespace signalmon;

TEST_CASE("CSV cells are quoted as needed and never start a formula; numbers stay numbers") {
    CHECK(cli::csv_field("plain") == "plain");
    CHECK(cli::csv_field("a,b") == "\"a,b\"");
    CHECK(cli::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(cli::csv_field("=HYPERLINK(\"http://evil.example\",\"x\")") ==
          "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
    CHECK(cli::csv_field("+1+cmd|' /C calc'!A0") == "'+1+cmd|' /C calc'!A0");
    CHECK(cli::csv_field("-2+3") == "'-2+3");
    CHECK(cli::csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(cli::csv_field("\t=1") == "'\t=1");
    CHECK(cli::csv_field("-3") == "-3");
    CHECK(cli::csv_field("+2.5") == "+2.5");
}
