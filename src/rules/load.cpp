// Rule files → RuleSet: YAML with yaml-cpp, strict keys and types, every error at FILE:LINE:COL.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include "feed/source_adapter.hpp"
#include "rules/lexicon.hpp"
#include "rules/rule_set.hpp"
#include "text/did_you_mean.hpp"

namespace signalmon::rules {

namespace {

constexpr std::uint64_t k_fnv_offset = 14695981039346656037ULL;

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return hash;
}

std::string list_words(std::initializer_list<std::string_view> words) {
    std::string out;
    for (const std::string_view word : words) {
        out += (out.empty() ? "" : ", ") + std::string(word);
    }
    return out;
}

// Reads one rule file; holds its display path so every error can name FILE:LINE:COL.
class FileReader {
public:
    FileReader(std::string display_path, RuleSet& rules, std::unordered_map<std::string, std::uint32_t>& pattern_ids)
        : m_path(std::move(display_path)), m_rules(rules), m_pattern_ids(pattern_ids) {}

    SourceLocation at(const YAML::Node& node) const {
        const YAML::Mark mark = node.Mark();
        if (mark.is_null()) {
            return {m_path, 1, 1};
        }
        return {m_path, mark.line + 1, mark.column + 1};
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const { fail_at(at(node), message); }

    [[noreturn]] static void fail_at(const SourceLocation& where, const std::string& message) {
        throw RuleError(to_string(where) + ": " + message);
    }

    // Checks a mapping's keys; returns the values of the known ones in `keys` order (null if absent).
    std::vector<YAML::Node> fields_of(const YAML::Node& map, std::string_view what,
                                      std::initializer_list<std::string_view> keys) const {
        if (!map.IsMap()) {
            fail(map, std::string(what) + " must be a mapping of " + list_words(keys));
        }
        // Absent keys stay Undefined, so callers test them with IsDefined(). Each slot is its own
        // node: yaml-cpp nodes are references, copies of one would alias.
        std::vector<YAML::Node> values;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            values.emplace_back(YAML::NodeType::Undefined);
        }
        for (const auto& entry : map) {
            const YAML::Node& key = entry.first;
            const std::string name = key.IsScalar() ? key.Scalar() : std::string();
            const auto found = std::find(keys.begin(), keys.end(), name);
            if (found == keys.end()) {
                const std::string hint = text::did_you_mean(name, keys);
                fail(key, "unknown key '" + name + "' in " + std::string(what) +
                              (hint.empty() ? " (expected one of: " + list_words(keys) + ")" : hint));
            }
            YAML::Node& slot = values[static_cast<std::size_t>(found - keys.begin())];
            if (slot.IsDefined()) {
                fail(key, "duplicate key '" + name + "' in " + std::string(what));
            }
            slot.reset(entry.second);
        }
        return values;
    }

    void require(const YAML::Node& value, const YAML::Node& map, std::string_view key, std::string_view what) const {
        if (!value.IsDefined()) {
            fail(map, "missing required key '" + std::string(key) + "' in " + std::string(what));
        }
    }

    std::string string_of(const YAML::Node& value, std::string_view key) const {
        if (!value.IsScalar()) {
            fail(value, "'" + std::string(key) + "' must be a string");
        }
        return value.Scalar();
    }

    std::string id_of(const YAML::Node& value, std::string_view key) const {
        std::string id = string_of(value, key);
        const bool valid = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                   c == '.';
        });
        if (!valid) {
            fail(value, "'" + std::string(key) + "' must be letters, digits, '-', '_' or '.', got '" + id + "'");
        }
        return id;
    }

    int int_of(const YAML::Node& value, std::string_view key, int minimum, std::string_view kind) const {
        int number = 0;
        if (!value.IsScalar() || !YAML::convert<int>::decode(value, number) || number < minimum) {
            fail(value, "'" + std::string(key) + "' must be " + std::string(kind));
        }
        return number;
    }

    void read(std::string_view yaml) {
        YAML::Node root;
        try {
            root = YAML::Load(std::string(yaml));
        } catch (const YAML::ParserException& error) {
            fail_at({m_path, error.mark.line + 1, error.mark.column + 1}, "YAML syntax error: " + error.msg);
        }
        if (root.IsNull() || !root.IsDefined()) {
            fail_at({m_path, 1, 1}, "empty rule file (expected 'brief' and 'signals')");
        }
        const auto top = fields_of(root, "rule file", {"brief", "signals", "concepts", "examples"});
        if (!top[0].IsDefined() && top[2].IsDefined()) {
            // A shared concepts file: its concepts serve every brief.
            if (top[1].IsDefined() || top[3].IsDefined()) {
                fail(top[1].IsDefined() ? top[1] : top[3],
                     "a file of shared concepts has no 'signals' or 'examples' (add a 'brief' to make it a brief)");
            }
            read_concepts(top[2], m_rules.concepts);
            return;
        }
        require(top[0], root, "brief", "rule file");
        require(top[1], root, "signals", "rule file");
        if (top[2].IsDefined()) read_concepts(top[2], m_local_concepts);
        const auto brief_index = static_cast<std::uint32_t>(m_rules.briefs.size());
        Brief brief = read_brief(top[0], brief_index);
        brief.file = m_path;
        for (const Brief& other : m_rules.briefs) {
            if (other.id == brief.id) {
                fail_at(brief.where,
                        "duplicate brief id '" + brief.id + "' (first defined at " + to_string(other.where) + ")");
            }
        }
        const YAML::Node& signals = top[1];
        if (!signals.IsSequence() || signals.size() == 0) {
            fail(signals, "'signals' must be a non-empty list of signals");
        }
        for (const auto& node : signals) {
            Signal signal = read_signal(node, brief_index, static_cast<std::uint32_t>(brief.signals.size()));
            for (const Signal& other : brief.signals) {
                if (other.id == signal.id) {
                    fail_at(signal.where, "duplicate signal id '" + signal.id + "' in brief '" + brief.id +
                                              "' (first defined at " + to_string(other.where) + ")");
                }
            }
            brief.signals.push_back(std::move(signal));
        }
        if (top[3].IsDefined()) brief.examples = read_examples(top[3]);
        m_rules.briefs.push_back(std::move(brief));
    }

private:
    // `concepts: {name: [patterns]}` into concepts; a name may be defined once across files.
    void read_concepts(const YAML::Node& node, std::unordered_map<std::string, Concept>& concepts) {
        if (!node.IsMap() || node.size() == 0) {
            fail(node, "'concepts' must be a mapping of concept names to lists of patterns");
        }
        for (const auto& entry : node) {
            const std::string name = id_of(entry.first, "concept name");
            if (const Concept* other = find_concept(name)) {
                fail(entry.first,
                     "duplicate concept '" + name + "' (first defined at " + to_string(other->defined) + ")");
            }
            const YAML::Node& patterns = entry.second;
            if (!patterns.IsSequence() || patterns.size() == 0) {
                fail(patterns, "concept '" + name + "' must be a non-empty list of patterns");
            }
            Concept concept_;
            concept_.defined = at(entry.first);
            for (const auto& pattern : patterns) {
                if (!pattern.IsScalar())
                    fail(pattern, "expected a pattern (a phrase or /regex/) in concept '" + name + "'");
                if (pattern.Scalar().starts_with('@')) {
                    fail(pattern, "a concept lists patterns, not other concepts ('" + pattern.Scalar() + "')");
                }
                if (auto spec = translate_pattern(pattern.Scalar()); !spec) fail(pattern, spec.error());
                concept_.patterns.push_back(pattern.Scalar());
                concept_.where.push_back(at(pattern));
            }
            concepts.emplace(name, std::move(concept_));
        }
    }

    const Concept* find_concept(const std::string& name) const {
        if (const auto local = m_local_concepts.find(name); local != m_local_concepts.end()) return &local->second;
        if (const auto shared = m_rules.concepts.find(name); shared != m_rules.concepts.end()) return &shared->second;
        return nullptr;
    }

    std::vector<Example> read_examples(const YAML::Node& node) const {
        if (!node.IsSequence() || node.size() == 0) {
            fail(node, "'examples' must be a non-empty list of {expect, title, summary}");
        }
        std::vector<Example> examples;
        for (const auto& item : node) {
            const auto values = fields_of(item, "an example", {"expect", "title", "summary"});
            require(values[0], item, "expect", "an example");
            require(values[1], item, "title", "an example");
            Example example;
            example.where = at(item);
            const std::string expect = string_of(values[0], "expect");
            if (expect != "quiet") {
                example.expect = kind_of(values[0]);
            }
            example.title = string_of(values[1], "title");
            if (values[2].IsDefined()) example.summary = string_of(values[2], "summary");
            examples.push_back(std::move(example));
        }
        return examples;
    }

    Brief read_brief(const YAML::Node& node, std::uint32_t brief_index) const {
        const auto values = fields_of(node, "brief",
                                      {"id", "title", "source", "date", "threshold", "feeds", "tags", "unless", "forms",
                                       "watch_threshold", "about", "where", "about_min"});
        require(values[0], node, "id", "brief");
        require(values[1], node, "title", "brief");
        require(values[4], node, "threshold", "brief");
        Brief brief;
        brief.id = id_of(values[0], "id");
        brief.where = at(values[0]);
        brief.title = string_of(values[1], "title");
        if (values[2].IsDefined()) {
            brief.source = string_of(values[2], "source");
        }
        if (values[3].IsDefined()) {
            brief.date = date_of(values[3]);
        }
        brief.threshold = int_of(values[4], "threshold", 1, "a positive integer");
        if (values[5].IsDefined()) {
            brief.feeds = id_list_of(values[5], "feeds");
        }
        if (values[6].IsDefined()) {
            brief.tags = id_list_of(values[6], "tags");
        }
        if (values[7].IsDefined()) {
            brief.unless =
                read_group(values[7], "the brief's 'unless'", {brief_index, 0, PatternOwner::k_brief_unless_group});
        }
        brief.field_filters = field_filters_of(values[11], values[8]);
        if (values[9].IsDefined())
            brief.watch_threshold = int_of(values[9], "watch_threshold", 1, "a positive integer");
        if (values[10].IsDefined()) {
            brief.about =
                read_group(values[10], "the brief's 'about'", {brief_index, 0, PatternOwner::k_brief_about_group});
        }
        if (values[12].IsDefined()) {
            if (!values[10].IsDefined()) fail(values[12], "'about_min' needs an 'about' list to count in");
            brief.about_min = int_of(values[12], "about_min", 1, "a positive integer");
        }
        return brief;
    }

    std::string date_of(const YAML::Node& value) const {
        std::string date = string_of(value, "date");
        const bool valid =
            date.size() == 10 && date[4] == '-' && date[7] == '-' &&
            std::all_of(date.begin(), date.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
        if (!valid) {
            fail(value, "'date' must be YYYY-MM-DD, got '" + date + "'");
        }
        return date;
    }

    std::vector<std::string> id_list_of(const YAML::Node& node, std::string_view key) const {
        if (!node.IsSequence() || node.size() == 0) {
            fail(node, "'" + std::string(key) + "' must be a non-empty list of ids");
        }
        std::vector<std::string> ids;
        for (const auto& item : node) {
            ids.push_back(id_of(item, key));
        }
        return ids;
    }

    Signal read_signal(const YAML::Node& node, std::uint32_t brief_index, std::uint32_t signal_index) const {
        const auto values = fields_of(node, "signal",
                                      {"id", "kind", "weight", "says", "any", "all", "near", "unless", "fields",
                                       "title_bonus", "max_per_day", "draft", "forms", "where"});
        const YAML::Node &id = values[0], &kind = values[1], &weight = values[2], &says = values[3];
        const YAML::Node &any = values[4], &all = values[5], &near = values[6], &unless = values[7];
        const YAML::Node &fields = values[8], &title_bonus = values[9], &max_per_day = values[10];
        const YAML::Node& draft = values[11];
        require(id, node, "id", "signal");
        require(kind, node, "kind", "signal");
        require(weight, node, "weight", "signal");
        Signal signal;
        signal.id = id_of(id, "id");
        signal.where = at(id);
        signal.kind = kind_of(kind);
        signal.weight = int_of(weight, "weight", std::numeric_limits<int>::min(), "an integer");
        if (says.IsDefined()) {
            signal.says = string_of(says, "says");
        }
        if (fields.IsDefined()) {
            signal.fields = fields_of_signal(fields);
        }
        if (title_bonus.IsDefined()) {
            signal.title_bonus = int_of(title_bonus, "title_bonus", 0, "a non-negative integer");
        }
        if (max_per_day.IsDefined()) {
            signal.max_per_day = int_of(max_per_day, "max_per_day", 1, "a positive integer");
        }
        if (draft.IsDefined()) {
            bool value = false;
            if (!draft.IsScalar() || !YAML::convert<bool>::decode(draft, value)) {
                fail(draft, "'draft' must be true or false");
            }
            signal.draft = value;
        }
        if (any.IsDefined() && all.IsDefined()) {
            fail(all, "signal '" + signal.id + "' has both 'any' and 'all' (use one)");
        }
        if (!any.IsDefined() && !all.IsDefined()) {
            fail(node, "signal '" + signal.id + "' needs 'any' or 'all'");
        }
        const PatternOwner owner{brief_index, signal_index, 0};
        if (any.IsDefined()) {
            signal.groups.push_back(read_group(any, "'any'", owner));
            signal.group_fields.push_back(signal.fields);
        } else {
            signal.uses_all = true;
            if (!all.IsSequence() || all.size() == 0) {
                fail(all, "'all' must be a non-empty list of pattern lists");
            }
            for (const auto& group : all) {
                PatternOwner group_owner = owner;
                group_owner.group = static_cast<std::int32_t>(signal.groups.size());
                read_all_group(group, group_owner, signal);
            }
        }
        if (near.IsDefined()) {
            if (!signal.uses_all) {
                fail(near, "'near' applies to 'all' groups; signal '" + signal.id + "' uses 'any'");
            }
            signal.near = int_of(near, "near", 0, "a non-negative number of words");
        }
        if (unless.IsDefined()) {
            PatternOwner veto_owner = owner;
            veto_owner.group = PatternOwner::k_unless_group;
            signal.unless = read_group(unless, "'unless'", veto_owner);
        }
        signal.field_filters = field_filters_of(values[13], values[12]);
        return signal;
    }

    // A group of `all:` is a list of patterns, or {any: [patterns], fields: [...]} to narrow the
    // fields that group may match in.
    void read_all_group(const YAML::Node& node, PatternOwner owner, Signal& signal) const {
        if (!node.IsMap()) {
            signal.groups.push_back(read_group(node, "a group of 'all'", owner));
            signal.group_fields.push_back(signal.fields);
            return;
        }
        const auto values = fields_of(node, "a group of 'all'", {"any", "fields"});
        require(values[0], node, "any", "a group of 'all'");
        signal.groups.push_back(read_group(values[0], "a group of 'all'", owner));
        FieldMask fields = signal.fields;
        if (values[1].IsDefined()) {
            fields = fields_of_signal(values[1]);
            if ((fields & signal.fields) != fields) {
                fail(values[1], "a group's 'fields' must be among the signal's fields");
            }
        }
        signal.group_fields.push_back(fields);
    }

    Kind kind_of(const YAML::Node& node) const {
        const std::string name = string_of(node, "kind");
        if (const auto kind = kind_named(name)) return *kind;
        const std::string hint = text::did_you_mean(name, {"watch", "confirm", "kill"});
        fail(node, "unknown kind '" + name + "'" + (hint.empty() ? " (expected watch, confirm or kill)" : hint));
    }

    // `where: {field: [values]}` and its `forms: [values]` shorthand for form_type. Field names are
    // those the source adapters give items, so a misspelt one is an error, not a dead filter.
    std::vector<FieldFilter> field_filters_of(const YAML::Node& where, const YAML::Node& forms) const {
        std::vector<FieldFilter> filters;
        if (where.IsDefined()) {
            if (!where.IsMap() || where.size() == 0)
                fail(where, "'where' must map item fields to lists of values, e.g. {form_type: [8-K, S-1]}");
            const std::vector<std::string_view> known = feed::item_field_names();
            for (const auto& entry : where) {
                const std::string name = string_of(entry.first, "where");
                if (std::ranges::find(known, name) == known.end()) {
                    std::string expected;
                    for (const std::string_view field : known)
                        expected += (expected.empty() ? "" : ", ") + std::string(field);
                    const std::string hint = text::did_you_mean(name, known);
                    fail(entry.first, "unknown item field '" + name + "'" +
                                          (hint.empty() ? " (expected one of " + expected + ")" : hint));
                }
                filters.push_back({name, values_of(entry.second, "where: " + name, "a non-empty list of values")});
            }
        }
        if (forms.IsDefined()) {
            if (std::ranges::find(filters, "form_type", &FieldFilter::field) != filters.end())
                fail(forms, "'forms' is short for 'where: {form_type: [...]}'; give form_type once");
            filters.push_back(
                {"form_type", values_of(forms, "forms", "a non-empty list of form types, e.g. [8-K, 10-K]")});
        }
        return filters;
    }

    std::vector<std::string> values_of(const YAML::Node& node, const std::string& key, std::string_view what) const {
        if (!node.IsSequence() || node.size() == 0) fail(node, "'" + key + "' must be " + std::string(what));
        std::vector<std::string> values;
        for (const auto& item : node) values.push_back(string_of(item, key));
        return values;
    }

    FieldMask fields_of_signal(const YAML::Node& node) const {
        if (!node.IsSequence() || node.size() == 0) {
            fail(node, "'fields' must be a non-empty list of title, summary, content");
        }
        FieldMask mask = 0;
        for (const auto& item : node) {
            const std::string name = string_of(item, "fields");
            const auto found = std::find_if(std::begin(k_fields), std::end(k_fields),
                                            [&](Field field) { return field_name(field) == name; });
            if (found == std::end(k_fields)) {
                const std::string hint = text::did_you_mean(name, {"title", "summary", "content"});
                fail(item,
                     "unknown field '" + name + "'" + (hint.empty() ? " (expected title, summary or content)" : hint));
            }
            mask = static_cast<FieldMask>(mask | field_bit(*found));
        }
        return mask;
    }

    Group read_group(const YAML::Node& node, std::string_view what, PatternOwner owner) const {
        if (!node.IsSequence()) {
            fail(node, std::string(what) + " must be a list of patterns");
        }
        if (node.size() == 0) {
            fail(node, std::string(what) + " is empty");
        }
        Group group;
        for (const auto& item : node) {
            if (!item.IsScalar()) {
                fail(item, "expected a pattern (a phrase or /regex/) in " + std::string(what));
            }
            if (item.Scalar().starts_with('@')) {
                add_concept(item, owner, group);
                continue;
            }
            PatternRef ref{item.Scalar(), at(item), 0, {}};
            auto spec = translate_pattern(ref.written);
            if (!spec) {
                fail(item, spec.error());
            }
            ref.id = intern(*spec, ref, owner);
            group.push_back(std::move(ref));
        }
        return group;
    }

    // `@name`: every pattern of the concept joins the group.
    void add_concept(const YAML::Node& item, PatternOwner owner, Group& group) const {
        const std::string name = item.Scalar().substr(1);
        const Concept* concept_ = find_concept(name);
        if (concept_ == nullptr) {
            std::vector<std::string_view> known;
            known.reserve(m_local_concepts.size() + m_rules.concepts.size());
            for (const auto& [known_name, unused] : m_local_concepts) known.push_back(known_name);
            for (const auto& [known_name, unused] : m_rules.concepts) known.push_back(known_name);
            const std::string hint = text::did_you_mean(name, known);
            fail(item, "unknown concept '@" + name + "'" +
                           (hint.empty() ? " (define it under 'concepts:' here or in a shared concepts file)" : hint));
        }
        for (std::size_t i = 0; i < concept_->patterns.size(); ++i) {
            PatternRef ref{concept_->patterns[i], concept_->where[i], 0, name};
            ref.id = intern(*translate_pattern(ref.written), ref, owner);
            group.push_back(std::move(ref));
        }
    }

    // Identical patterns share one id; a regex is validated alone the first time it is seen so
    // its error points at the line that wrote it.
    std::uint32_t intern(const PatternSpec& spec, const PatternRef& ref, PatternOwner owner) const {
        const auto [found, inserted] =
            m_pattern_ids.try_emplace(spec.key(), static_cast<std::uint32_t>(m_rules.patterns.size()));
        if (inserted) {
            if (spec.engine == PatternEngine::regex) {
                if (auto reason = check_regex(spec, ref.written)) {
                    m_pattern_ids.erase(found);
                    fail_at(ref.where, *reason);
                }
            }
            m_rules.patterns.push_back({spec, ref.written, ref.where, {}});
        }
        m_rules.patterns[found->second].owners.push_back(owner);
        return found->second;
    }

    std::string m_path;
    std::unordered_map<std::string, Concept> m_local_concepts;  // this file's own `concepts:`
    RuleSet& m_rules;
    std::unordered_map<std::string, std::uint32_t>& m_pattern_ids;
};

}  // namespace

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::watch: return "watch";
        case Kind::confirm: return "confirm";
        case Kind::kill: return "kill";
    }
    return "watch";
}

std::optional<Kind> kind_named(std::string_view name) {
    for (const Kind kind : {Kind::watch, Kind::confirm, Kind::kill}) {
        if (kind_name(kind) == name) return kind;
    }
    return std::nullopt;
}

std::string_view field_name(Field field) {
    switch (field) {
        case Field::title: return "title";
        case Field::summary: return "summary";
        case Field::content: return "content";
    }
    return "content";
}

std::string to_string(const SourceLocation& where) {
    return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

void RuleSetBuilder::add_file(std::string_view yaml, const std::string& display_path) {
    FileReader(display_path, m_rules, m_pattern_ids).read(yaml);
}

RuleSet RuleSetBuilder::finish() && { return std::move(m_rules); }

std::size_t RuleSet::draft_signal_count() const {
    std::size_t count = 0;
    for (const Brief& brief : briefs) {
        count += static_cast<std::size_t>(std::count_if(brief.signals.begin(), brief.signals.end(),
                                                        [](const Signal& signal) { return signal.draft; }));
    }
    return count;
}

// The top-level keys of a block-style file start their lines, so a look at line starts tells a
// concepts file without parsing the YAML twice (huge rule sets spend most of their load there).
bool is_concepts_file(std::string_view yaml) {
    bool concepts = false;
    for (std::size_t at = 0; at < yaml.size();) {
        const std::size_t end = std::min(yaml.find('\n', at), yaml.size());
        const std::string_view line = yaml.substr(at, end - at);
        if (line.starts_with("brief:")) return false;
        concepts = concepts || line.starts_with("concepts:");
        at = end + 1;
    }
    return concepts;
}

RuleSet load_rules_dir(const std::filesystem::path& dir) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (entry.path().extension() == ".yaml" && entry.is_regular_file()) {
            files.push_back(entry.path().filename());
        }
    }
    if (error) {
        throw RuleError(dir.string() + ": cannot read rules directory: " + error.message());
    }
    if (files.empty()) {
        throw RuleError(dir.string() + ": no rule files (*.yaml)");
    }
    std::sort(files.begin(), files.end());
    std::vector<std::pair<std::filesystem::path, std::string>> texts;
    for (const auto& name : files) {
        const std::filesystem::path path = dir / name;
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
            throw RuleError(path.string() + ": cannot read rule file");
        }
        texts.emplace_back(path, text.str());
    }
    // Shared concepts first, so any brief can use them whatever the files' names.
    std::stable_partition(texts.begin(), texts.end(), [](const auto& file) { return is_concepts_file(file.second); });
    RuleSetBuilder builder;
    // The lexicon decides what phrases match, so it is part of what the hash names.
    std::uint64_t hash = fnv1a(k_fnv_offset, Lexicon::shared().version());
    for (const auto& [path, text] : texts) {
        hash = fnv1a(hash, path.filename().string());
        hash = fnv1a(hash, std::string_view("\0", 1));
        hash = fnv1a(hash, text);
        builder.add_file(text, path.string());
    }
    RuleSet rules = std::move(builder).finish();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    rules.content_hash = hex;
    return rules;
}

}  // namespace signalmon::rules
