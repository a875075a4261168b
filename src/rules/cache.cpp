// The compiled-database cache: one file per rules key, header + checksummed Hyperscan serializations.
#include "rules/cache.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <expected>
#include <fstream>
#include <optional>

namespace signalmon::rules {

namespace {

// Bumped whenever the file layout changes; it is part of the key, so old files are simply stale.
constexpr char k_magic[8] = {'S', 'M', 'H', 'S', 'D', 'B', '0', '2'};
constexpr std::string_view k_prefix = "rules-";
constexpr std::string_view k_suffix = ".hsdb";

// A fast non-cryptographic 64-bit hash, eight bytes at a time: it only has to notice corruption
// and tell rule sets apart, not resist an attacker who can already write to state_dir.
class Hasher {
public:
    explicit Hasher(std::uint64_t seed) : m_state(seed) {}

    Hasher& add(std::string_view bytes) {
        std::size_t at = 0;
        for (; at + 8 <= bytes.size(); at += 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, bytes.data() + at, 8);
            mix(word);
        }
        std::uint64_t tail = 0;
        if (at < bytes.size()) {  // an empty view may have a null data(), which memcpy must not see
            std::memcpy(&tail, bytes.data() + at, bytes.size() - at);
        }
        mix(tail);
        mix(bytes.size());  // so that "ab" + "c" and "a" + "bc" differ
        return *this;
    }
    Hasher& add(std::uint64_t value) {
        mix(value);
        return *this;
    }

    std::uint64_t value() const {
        std::uint64_t h = m_state;  // MurmurHash3's finalizer: every input bit reaches every output bit
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        return h ^ (h >> 33);
    }

private:
    void mix(std::uint64_t word) {
        m_state = std::rotl(m_state ^ (word * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL + 0x52dce729;
    }

    std::uint64_t m_state;
};

// The databases in file order: literal, regex, regex filter.
constexpr std::size_t k_databases = 3;

struct Header {
    char magic[8];
    char key[32];
    std::uint64_t bytes[k_databases];  // serialized size of each database, 0 for none
    std::uint64_t checksum;            // of the serializations, in order
};

std::uint64_t checksum(const std::array<std::string_view, k_databases>& parts) {
    Hasher hasher(0x5eed);
    for (const std::string_view part : parts) {
        hasher.add(part);
    }
    return hasher.value();
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool has_engine(const RuleSet& rules, PatternEngine engine) {
    for (const CompiledPattern& pattern : rules.patterns) {
        if (pattern.spec.engine == engine) {
            return true;
        }
    }
    return false;
}

// expected: whether the rules need this database; nullopt when it is optional (the filter).
std::expected<DatabasePtr, std::string> deserialize(std::string_view bytes, std::optional<bool> expected,
                                                    std::string_view what) {
    if (expected && bytes.empty() != !*expected) {
        return std::unexpected(std::string(what) + " database " + (*expected ? "missing" : "unexpected"));
    }
    if (bytes.empty()) {
        return DatabasePtr{};
    }
    hs_database_t* database = nullptr;
    if (const hs_error_t status = hs_deserialize_database(bytes.data(), bytes.size(), &database);
        status != HS_SUCCESS) {
        return std::unexpected("Hyperscan refused the " + std::string(what) + " database (error " +
                               std::to_string(status) + ")");
    }
    return DatabasePtr(database);
}

// The cached databases for rules, or why the file cannot be used.
std::expected<std::shared_ptr<const CompiledRules>, std::string> read_cache(const std::filesystem::path& file,
                                                                            const std::string& key, RuleSet& rules) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    std::string bytes(in ? static_cast<std::size_t>(in.tellg()) : 0, '\0');
    in.seekg(0);
    if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
        return std::unexpected(std::string("cannot read it"));
    }
    Header header{};
    if (bytes.size() < sizeof header) {
        return std::unexpected("truncated (" + std::to_string(bytes.size()) + " bytes)");
    }
    std::memcpy(&header, bytes.data(), sizeof header);
    if (std::memcmp(header.magic, k_magic, sizeof k_magic) != 0) {
        return std::unexpected(std::string("not a signalmon cache file of this version"));
    }
    if (std::string_view(header.key, sizeof header.key) != key) {
        return std::unexpected(std::string("written for other rules, Hyperscan or platform"));
    }
    std::string_view payload = std::string_view(bytes).substr(sizeof header);
    std::array<std::string_view, k_databases> parts;
    for (std::size_t i = 0; i < k_databases; ++i) {
        if (header.bytes[i] > payload.size()) {
            return std::unexpected(std::string("truncated"));
        }
        parts[i] = payload.substr(0, header.bytes[i]);
        payload.remove_prefix(header.bytes[i]);
    }
    if (!payload.empty()) {
        return std::unexpected(std::string("padded"));
    }
    if (checksum(parts) != header.checksum) {
        return std::unexpected(std::string("checksum mismatch (corrupt)"));
    }
    const bool regexes = has_engine(rules, PatternEngine::regex);
    auto literal_database = deserialize(parts[0], has_engine(rules, PatternEngine::literal), "literal");
    if (!literal_database) {
        return std::unexpected(literal_database.error());
    }
    auto regex_database = deserialize(parts[1], regexes, "regex");
    if (!regex_database) {
        return std::unexpected(regex_database.error());
    }
    auto regex_filter = deserialize(parts[2], regexes ? std::nullopt : std::optional<bool>(false), "regex filter");
    if (!regex_filter) {
        return std::unexpected(regex_filter.error());
    }
    return std::make_shared<const CompiledRules>(std::move(rules), std::move(*literal_database),
                                                 std::move(*regex_database), std::move(*regex_filter));
}

struct Serialized {
    char* bytes = nullptr;
    std::size_t length = 0;
    Serialized() = default;
    Serialized(const Serialized&) = delete;
    Serialized& operator=(const Serialized&) = delete;
    ~Serialized() { std::free(bytes); }  // hs_serialize_database allocates with malloc by default
    std::string_view view() const { return {bytes, length}; }
};

std::optional<std::string> serialize(const hs_database_t* database, Serialized& out) {
    if (database != nullptr && hs_serialize_database(database, &out.bytes, &out.length) != HS_SUCCESS) {
        return "Hyperscan cannot serialize the database";
    }
    return std::nullopt;
}

// Writes the cache file whole under a temporary name, then renames it, so a crash never leaves a
// half-written file under the real name (and a torn one would fail the checksum anyway).
std::optional<std::string> write_cache(const std::filesystem::path& file, const std::string& key,
                                       const CompiledRules& compiled) {
    const hs_database_t* databases[k_databases] = {compiled.literal_database(), compiled.regex_database(),
                                                   compiled.regex_filter_database()};
    std::array<Serialized, k_databases> serialized;
    std::array<std::string_view, k_databases> parts;
    Header header{};
    for (std::size_t i = 0; i < k_databases; ++i) {
        if (auto problem = serialize(databases[i], serialized[i])) {
            return problem;
        }
        parts[i] = serialized[i].view();
        header.bytes[i] = parts[i].size();
    }
    std::memcpy(header.magic, k_magic, sizeof k_magic);
    std::memcpy(header.key, key.data(), sizeof header.key);
    header.checksum = checksum(parts);
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    const std::filesystem::path temporary = file.string() + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(&header), sizeof header);
        for (const std::string_view part : parts) {
            out.write(part.data(), static_cast<std::streamsize>(part.size()));
        }
        out.flush();
        if (!out) {
            std::filesystem::remove(temporary, error);
            return "cannot write " + temporary.string();
        }
    }
    std::filesystem::rename(temporary, file, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        return "cannot rename into " + file.string() + ": " + error.message();
    }
    // Only the current rules' file is kept: each edit would otherwise leave megabytes behind.
    for (const auto& entry : std::filesystem::directory_iterator(file.parent_path(), error)) {
        const std::string name = entry.path().filename().string();
        if (entry.path() != file && name.starts_with(k_prefix) && name.ends_with(k_suffix)) {
            std::error_code ignored;
            std::filesystem::remove(entry.path(), ignored);
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view cache_outcome_name(CacheOutcome outcome) {
    switch (outcome) {
        case CacheOutcome::loaded: return "loaded";
        case CacheOutcome::compiled: return "compiled";
        case CacheOutcome::rebuilt: return "rebuilt";
    }
    return "compiled";
}

std::string database_key(const RuleSet& rules) {
    hs_platform_info_t platform{};
    hs_populate_platform(&platform);
    std::string key;
    // Two differently seeded hashes: 128 bits, so unrelated rule sets never share a file.
    for (const std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{2}}) {
        Hasher hasher(seed);
        hasher.add(std::string_view(k_magic, sizeof k_magic)).add(std::string_view(hs_version()));
        hasher.add(platform.tune).add(platform.cpu_features).add(sizeof(void*));
        for (const CompiledPattern& pattern : rules.patterns) {
            hasher.add(static_cast<std::uint64_t>(pattern.spec.engine))
                .add(pattern.spec.flags)
                .add(pattern.spec.expression);
            for (const std::string& variant : pattern.spec.variants) hasher.add(variant);
        }
        key += fmt::format("{:016x}", hasher.value());
    }
    return key;
}

CachedRules compile_cached(RuleSet rules, const std::filesystem::path& cache_dir) {
    const std::string key = database_key(rules);
    CachedRules result;
    result.file = cache_dir / (std::string(k_prefix) + key + std::string(k_suffix));
    const std::size_t patterns = rules.patterns.size();
    auto start = Clock::now();
    std::error_code error;
    if (std::filesystem::exists(result.file, error)) {
        auto loaded = read_cache(result.file, key, rules);
        if (loaded) {
            result.compiled = std::move(*loaded);
            result.outcome = CacheOutcome::loaded;
            result.seconds = seconds_since(start);
            spdlog::info("rules: loaded {} compiled patterns from {} in {:.1f} ms (not compiled)", patterns,
                         result.file.string(), result.seconds * 1e3);
            return result;
        }
        result.outcome = CacheOutcome::rebuilt;
        result.problem = loaded.error();
        spdlog::warn("rules: discarding cache file {}: {}; compiling instead", result.file.string(), result.problem);
        std::filesystem::remove(result.file, error);
        start = Clock::now();
    }
    result.compiled = compile(std::move(rules));
    result.seconds = seconds_since(start);
    spdlog::info("rules: compiled {} patterns in {:.1f} ms", patterns, result.seconds * 1e3);
    if (auto problem = write_cache(result.file, key, *result.compiled)) {
        spdlog::warn("rules: cannot cache the compiled databases: {}", *problem);
        result.problem = result.problem.empty() ? *problem : result.problem + "; " + *problem;
    }
    return result;
}

}  // namespace signalmon::rules
