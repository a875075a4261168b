// The configured store.
#include "app/store_open.hpp"

#include <stdexcept>

#include "alert/secrets.hpp"

namespace signalmon::app {

std::unique_ptr<store::Store> open_configured_store(const config::Config& config, store::OpenMode mode) {
    std::string password;
    if (config.store_password) {
        auto secret = alert::resolve_secret(*config.store_password);
        if (!secret) throw std::runtime_error("store password: " + secret.error());
        password = std::move(*secret);
    }
    return store::open_store(config.store_location(), mode, password);
}

}  // namespace signalmon::app
