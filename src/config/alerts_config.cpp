// Parses and validates the `alerts:` section of feeds.yaml with located errors.
#include "config/alerts_config.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "config/config.hpp"
#include "config/units.hpp"
#include "config/yaml_reader.hpp"

namespace signalmon::config {
namespace {

using Reader = YamlReader<ConfigError>;

RateLimit read_rate_limit(const Reader& reader, const YAML::Node& map) {
    const auto text = reader.optional_string(map, "rate_limit");
    if (!text) return {};
    const auto slash = text->find('/');
    const auto fail = [&] {
        reader.fail(map["rate_limit"], "'rate_limit' wants COUNT/PERIOD such as 20/h or 5/10m, got '" + *text + "'");
    };
    if (slash == std::string::npos || slash == 0) fail();
    RateLimit limit;
    try {
        std::size_t used = 0;
        limit.count = std::stoll(text->substr(0, slash), &used);
        if (used != slash || limit.count < 1) fail();
    } catch (const std::logic_error&) {
        fail();
    }
    std::string period = text->substr(slash + 1);
    if (!period.empty() && std::isalpha(static_cast<unsigned char>(period[0]))) period = "1" + period;
    const auto duration = parse_duration(period);
    if (!duration || duration->count() == 0) fail();
    limit.per = *duration;
    return limit;
}

bool is_header_token(std::string_view name) {
    return !name.empty() && std::ranges::all_of(name, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

Channel read_channel(const Reader& reader, const YAML::Node& node, const std::filesystem::path& base_dir) {
    reader.check_keys(node,
                      {"id", "type", "url", "starttls", "username", "password_env", "password_file", "password", "from",
                       "to", "format", "secret_env", "secret_file", "secret", "headers", "rate_limit", "timeout"},
                      "alert channel");
    Channel channel;
    channel.id = reader.required_string(node, "id", "alert channel");
    const std::string type = reader.required_string(node, "type", "alert channel '" + channel.id + "'");
    const std::string url = reader.required_string(node, "url", "alert channel '" + channel.id + "'");
    if (url.find_first_of(" \t\r\n") != std::string::npos)
        reader.fail(node["url"], "bad URL '" + url + "': contains spaces");
    channel.rate_limit = read_rate_limit(reader, node);
    channel.timeout = reader.duration(node, "timeout", channel.timeout);
    const auto only_for = [&](std::initializer_list<std::string_view> keys, std::string_view other_type) {
        for (std::string_view key : keys) {
            if (node[std::string(key)]) {
                reader.fail(node[std::string(key)], "'" + std::string(key) + "' belongs to " + std::string(other_type) +
                                                        " channels, not " + type + " ones");
            }
        }
    };
    if (type == "email") {
        only_for({"format", "secret_env", "secret_file", "headers"}, "webhook");
        channel.type = Channel::Type::email;
        if (!url.starts_with("smtp://") && !url.starts_with("smtps://")) {
            reader.fail(node["url"], "an email channel's url is smtp://host[:port] (STARTTLS) or smtps://host[:port]");
        }
        channel.email.url = url;
        const std::string starttls = reader.optional_string(node, "starttls").value_or("required");
        if (starttls == "required") {
            channel.email.starttls = StartTls::required;
        } else if (starttls == "optional") {
            channel.email.starttls = StartTls::optional;
        } else if (starttls == "off") {
            channel.email.starttls = StartTls::off;
        } else {
            reader.fail(node["starttls"], "'starttls' is required, optional or off, got '" + starttls + "'");
        }
        channel.email.username = reader.optional_string(node, "username").value_or("");
        channel.email.password = read_secret(reader, node, "password", base_dir);
        if (channel.email.password && channel.email.username.empty()) {
            reader.fail(node, "alert channel '" + channel.id + "' has a password but no 'username'");
        }
        channel.email.from = reader.required_string(node, "from", "email channel '" + channel.id + "'");
        channel.email.to = reader.string_list(node, "to");
        if (channel.email.to.empty())
            reader.fail(node, "email channel '" + channel.id + "' needs 'to: [address, ...]'");
        for (const std::string& address : channel.email.to) {
            if (address.find('@') == std::string::npos || address.find_first_of("\r\n<>, ") != std::string::npos) {
                reader.fail(node["to"], "'" + address + "' is not a plain e-mail address");
            }
        }
        if (channel.email.from.find_first_of("\r\n") != std::string::npos ||
            channel.email.from.find('@') == std::string::npos) {
            reader.fail(node["from"], "'from' must be an address, optionally 'Name <address>'");
        }
    } else if (type == "webhook") {
        only_for({"starttls", "username", "password_env", "password_file", "from", "to"}, "email");
        channel.type = Channel::Type::webhook;
        if (!url.starts_with("http://") && !url.starts_with("https://")) {
            reader.fail(node["url"], "a webhook channel's url is http:// or https://");
        }
        channel.webhook.url = url;
        const std::string format = reader.optional_string(node, "format").value_or("generic");
        static const std::map<std::string, WebhookFormat, std::less<>> k_formats{
            {"generic", WebhookFormat::generic},
            {"slack", WebhookFormat::slack},
            {"mattermost", WebhookFormat::mattermost},
            {"discord", WebhookFormat::discord},
            {"ntfy", WebhookFormat::ntfy}};
        const auto found = k_formats.find(format);
        if (found == k_formats.end()) {
            reader.fail(node["format"],
                        "'format' is generic, slack, mattermost, discord or ntfy, got '" + format + "'");
        }
        channel.webhook.format = found->second;
        channel.webhook.secret = read_secret(reader, node, "secret", base_dir);
        if (const YAML::Node headers = node["headers"]) {
            reader.expect_map(headers, "'headers'");
            for (const auto& entry : headers) {
                const std::string name = entry.first.Scalar();
                if (!is_header_token(name)) reader.fail(entry.first, "'" + name + "' is not a valid HTTP header name");
                if (!entry.second.IsScalar()) reader.fail(entry.second, "header '" + name + "' must be a string");
                const std::string value = entry.second.Scalar();
                if (value.find_first_of("\r\n") != std::string::npos)
                    reader.fail(entry.second, "header values may not hold line breaks");
                channel.webhook.headers.emplace_back(name, value);
            }
        }
    } else {
        reader.fail(node["type"], "alert channel 'type' is email or webhook, got '" + type + "'");
    }
    return channel;
}

QuietHours read_quiet_hours(const Reader& reader, const YAML::Node& node) {
    const std::string text = node.Scalar();
    const auto minute_of = [&](std::string_view clock) {
        if (clock.size() != 5 || clock[2] != ':' || !std::isdigit(static_cast<unsigned char>(clock[0])) ||
            !std::isdigit(static_cast<unsigned char>(clock[1])) ||
            !std::isdigit(static_cast<unsigned char>(clock[3])) ||
            !std::isdigit(static_cast<unsigned char>(clock[4]))) {
            reader.fail(node, "'quiet_hours' wants HH:MM-HH:MM (local time in 'timezone'), e.g. 22:00-07:00, got '" +
                                  text + "'");
        }
        const int hours = (clock[0] - '0') * 10 + (clock[1] - '0');
        const int minutes = (clock[3] - '0') * 10 + (clock[4] - '0');
        if (hours > 23 || minutes > 59) reader.fail(node, "'quiet_hours' has an impossible time in '" + text + "'");
        return hours * 60 + minutes;
    };
    const auto dash = text.find('-');
    if (dash == std::string::npos) minute_of("");
    QuietHours quiet{minute_of(std::string_view(text).substr(0, dash)),
                     minute_of(std::string_view(text).substr(dash + 1))};
    if (quiet.start_minute == quiet.end_minute) reader.fail(node, "'quiet_hours' start and end are the same time");
    return quiet;
}

Route read_route(const Reader& reader, const YAML::Node& node, const AlertsConfig& alerts) {
    reader.check_keys(node, {"channels", "briefs", "kinds", "min_score", "default", "digest", "quiet_hours", "health"},
                      "alert route");
    Route route;
    route.channels = reader.string_list(node, "channels");
    if (route.channels.empty()) reader.fail(node, "an alert route needs 'channels: [id, ...]'");
    for (const std::string& id : route.channels) {
        if (!alerts.channel(id)) reader.fail(node["channels"], "route names unknown channel '" + id + "'");
    }
    route.briefs = reader.string_list(node, "briefs");
    route.kinds = reader.string_list(node, "kinds");
    for (const std::string& kind : route.kinds) {
        if (kind != "watch" && kind != "confirm" && kind != "kill") {
            reader.fail(node["kinds"], "'kinds' holds watch, confirm or kill, got '" + kind + "'");
        }
    }
    route.min_score = reader.optional_integer(node, "min_score");
    if (const YAML::Node is_default = node["default"]) {
        if (!is_default.IsScalar() || !YAML::convert<bool>::decode(is_default, route.is_default)) {
            reader.fail(is_default, "'default' must be true or false");
        }
        if (route.is_default && (node["briefs"] || node["kinds"])) {
            reader.fail(is_default,
                        "a default route takes the hits no other route takes, so it has no 'briefs' or 'kinds'");
        }
    }
    if (node["digest"]) route.digest = reader.duration(node, "digest", {});
    if (const YAML::Node quiet = node["quiet_hours"]) {
        if (!quiet.IsScalar()) reader.fail(quiet, "'quiet_hours' wants HH:MM-HH:MM");
        route.quiet_hours = read_quiet_hours(reader, quiet);
    }
    route.health = reader.optional_bool(node, "health").value_or(true);
    return route;
}

}  // namespace

const Channel* AlertsConfig::channel(std::string_view id) const {
    for (const Channel& candidate : channels) {
        if (candidate.id == id) return &candidate;
    }
    return nullptr;
}

AlertsConfig read_alerts_config(const Reader& reader, const YAML::Node& node, const std::filesystem::path& base_dir) {
    reader.check_keys(node,
                      {"channels", "routes", "max_age", "retry_base", "retry_max", "cluster_distance", "cluster_window",
                       "public_url"},
                      "'alerts'");
    AlertsConfig alerts;
    alerts.max_age = reader.duration(node, "max_age", alerts.max_age);
    alerts.retry_base = reader.duration(node, "retry_base", alerts.retry_base);
    alerts.retry_max = reader.duration(node, "retry_max", alerts.retry_max);
    alerts.cluster_window = reader.duration(node, "cluster_window", alerts.cluster_window);
    if (const auto distance = reader.optional_integer(node, "cluster_distance")) {
        if (*distance < 0 || *distance > 32)
            reader.fail(node["cluster_distance"], "'cluster_distance' must be between 0 and 32");
        alerts.cluster_distance = static_cast<int>(*distance);
    }
    if (const auto public_url = reader.optional_string(node, "public_url")) {
        if (!public_url->starts_with("https://") && !public_url->starts_with("http://"))
            reader.fail(node["public_url"], "'public_url' must start with https:// or http://");
        alerts.public_url = *public_url;
        while (alerts.public_url.ends_with('/')) alerts.public_url.pop_back();
    }
    const YAML::Node channels = node["channels"];
    if (!channels || !channels.IsSequence())
        reader.fail(channels ? channels : node, "'alerts' needs 'channels:', a list starting with '- id:'");
    std::set<std::string> ids;
    for (const auto& entry : channels) {
        Channel channel = read_channel(reader, entry, base_dir);
        if (!ids.insert(channel.id).second) reader.fail(entry["id"], "duplicate alert channel id '" + channel.id + "'");
        alerts.channels.push_back(std::move(channel));
    }
    const YAML::Node routes = node["routes"];
    if (!routes || !routes.IsSequence())
        reader.fail(routes ? routes : node, "'alerts' needs 'routes:', a list starting with '- channels:'");
    for (const auto& entry : routes) alerts.routes.push_back(read_route(reader, entry, alerts));
    return alerts;
}

std::optional<SecretRef> read_secret(const Reader& reader, const YAML::Node& map, std::string_view prefix,
                                     const std::filesystem::path& base_dir) {
    const std::string env_key = std::string(prefix) + "_env";
    const std::string file_key = std::string(prefix) + "_file";
    if (map[std::string(prefix)]) {
        reader.fail(map[std::string(prefix)], "'" + std::string(prefix) + "' may not be written inline: use '" +
                                                  env_key + ": VARIABLE' or '" + file_key +
                                                  ": /path' (e.g. a systemd credential)");
    }
    const auto env = reader.optional_string(map, env_key);
    const auto file = reader.optional_string(map, file_key);
    if (env && file) reader.fail(map[file_key], "give either '" + env_key + "' or '" + file_key + "', not both");
    if (env) return SecretRef{SecretRef::Source::env, *env};
    if (file) {
        const std::filesystem::path path(*file);
        return SecretRef{SecretRef::Source::file,
                         (path.is_absolute() ? path : base_dir / path).lexically_normal().string()};
    }
    return std::nullopt;
}

}  // namespace signalmon::config
