// Rules as data: the briefs loaded from rules/*.yaml, each with its weighted signals and patterns.
// CONTRACT (app-facing, keep): RuleError, Kind/kind_name, Brief{id,title,source,threshold,signals},
// Signal{id,kind,weight,says}, RuleSet{briefs}, load_rules_dir(). Other members are free to design.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rules/pattern.hpp"

namespace signalmon::rules {

enum class Kind { watch, confirm, kill };
std::string_view kind_name(Kind kind);  // "watch", "confirm", "kill"
std::optional<Kind> kind_named(std::string_view name);

// A startup error in a rule file; what() is "FILE:LINE:COL: message" (1-based line and column).
class RuleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The text fields of an item that rules can look at.
enum class Field : std::uint8_t { title, summary, content };
inline constexpr std::size_t k_field_count = 3;
inline constexpr Field k_fields[k_field_count] = {Field::title, Field::summary, Field::content};
std::string_view field_name(Field field);  // "title", "summary", "content"

// A set of Fields as bits (1 << Field).
using FieldMask = std::uint8_t;
inline constexpr FieldMask k_all_fields = 0b111;
constexpr FieldMask field_bit(Field field) { return static_cast<FieldMask>(1U << static_cast<unsigned>(field)); }

// Where something was written: "file:line:col" with 1-based line and column.
struct SourceLocation {
    std::string file;  // the rules directory as given joined with the file name
    int line = 0;
    int column = 0;
};
std::string to_string(const SourceLocation& where);

// A pattern as written in a signal, pointing at its entry in RuleSet::patterns.
struct PatternRef {
    std::string written;
    SourceLocation where;
    std::uint32_t id = 0;
    std::string concept_name;  // the concept (`@name`) the pattern came from, if any
};
using Group = std::vector<PatternRef>;

// One entry of `where:`: the item field (one a source adapter gives, feed/source_adapter.hpp) must
// hold one of the values. A field holding several values ("; "-separated: agencies, topics)
// passes when any of them is listed; values compare ASCII case-insensitively.
struct FieldFilter {
    std::string field;
    std::vector<std::string> values;
};

struct Signal {
    std::string id;
    Kind kind = Kind::watch;
    int weight = 1;
    std::string says;
    // `any:` is one group; `all:` one group per list; every group needs a match.
    std::vector<Group> groups;
    bool uses_all = false;
    std::optional<int> near;  // words: max word − min word over one occurrence per group, same field
    Group unless;             // any match vetoes the signal
    FieldMask fields = k_all_fields;
    // Per group, the fields its patterns may match in: the signal's fields unless the group
    // narrows them (`all: [{any: [...], fields: [title]}]`). Same size as groups.
    std::vector<FieldMask> group_fields;
    int title_bonus = 0;             // added to the weight when a group pattern matched in the title
    std::optional<int> max_per_day;  // at most this many hits of the signal per UTC day
    bool draft = false;              // drafted by a tool (e.g. brief import), not yet reviewed
    // `where: {form_type: [8-K, S-1]}`: only items passing every filter; `forms: [8-K]` is
    // `where: {form_type: [8-K]}`.
    std::vector<FieldFilter> field_filters;
    SourceLocation where;
};

// A story a rule file says must fire (with the kind) or stay quiet: `examples:` in the file.
struct Example {
    std::string title;
    std::string summary;
    std::optional<Kind> expect;  // absent: the story must not alert for the brief
    SourceLocation where;
};

struct Brief {
    std::string id;
    std::string title;
    std::string source;
    int threshold = 1;                       // confirm and kill evidence alert at this score, each on its own
    int watch_threshold = 1;                 // watch evidence alerts at this score: by default any watch signal
    std::string date;                        // YYYY-MM-DD of the brief, when given
    std::vector<std::string> feeds;          // only items of these feeds (empty: any feed)
    std::vector<std::string> tags;           // only items of feeds with one of these tags (empty: any)
    Group unless;                            // any match vetoes the whole brief for the item
    Group about;                             // when given, an item must match one of these for any signal to count
    int about_min = 1;                       // ...or this many different entries of it (a concept is one entry)
    std::vector<FieldFilter> field_filters;  // as Signal::field_filters, for every signal of the brief
    std::vector<Signal> signals;
    std::vector<Example> examples;
    std::filesystem::path file;
    SourceLocation where;  // of the id
};

// Who uses a deduplicated pattern; group k_unless_group means the signal's `unless:`,
// k_brief_unless_group the brief's, k_brief_about_group the brief's `about:` (signal is then 0 and
// meaningless).
struct PatternOwner {
    static constexpr std::int32_t k_unless_group = -1;
    static constexpr std::int32_t k_brief_unless_group = -2;
    static constexpr std::int32_t k_brief_about_group = -3;
    std::uint32_t brief = 0;
    std::uint32_t signal = 0;
    std::int32_t group = 0;
};

// One pattern as compiled: identical patterns (after folding) across signals and briefs share one.
struct CompiledPattern {
    PatternSpec spec;
    std::string written;   // as first written
    SourceLocation where;  // where first written
    std::vector<PatternOwner> owners;
};

// A named, reusable list of patterns (`concepts:`), referred to from groups as `@name`.
struct Concept {
    std::vector<std::string> patterns;
    std::vector<SourceLocation> where;  // of each pattern
    SourceLocation defined;
};

struct RuleSet {
    std::vector<Brief> briefs;
    // Concepts of shared files (a rule file with `concepts:` and no `brief:`), by name.
    std::unordered_map<std::string, Concept> concepts;
    std::vector<CompiledPattern> patterns;  // index = Hyperscan id = PatternRef::id
    // FNV-1a 64 (16 hex digits) of every rule file's name and bytes, in load order: names the
    // active rules in logs and `signalctl status`. Empty for rules not read from a directory.
    std::string content_hash;

    std::size_t draft_signal_count() const;
};

// Builds a RuleSet from rule files one at a time, checking ids across files and deduplicating
// patterns. Every problem throws RuleError.
class RuleSetBuilder {
public:
    // yaml is the text of one rule file; display_path is how errors name it ("rules/x.yaml").
    void add_file(std::string_view yaml, const std::string& display_path);
    RuleSet finish() &&;

private:
    RuleSet m_rules;
    std::unordered_map<std::string, std::uint32_t> m_pattern_ids;  // PatternSpec::key() → id
};

// True when the rule file text declares shared concepts only (a `concepts:` line and no `brief:`
// line, block style): such files load first.
bool is_concepts_file(std::string_view yaml);

// Loads and validates every *.yaml in dir (sorted by name). Throws RuleError on the first problem.
RuleSet load_rules_dir(const std::filesystem::path& dir);

}  // namespace signalmon::rules
