// Opens the store feeds.yaml names, for the daemon and signalctl alike.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "store/store.hpp"

namespace signalmon::app {

// store_url with its password (store_password_env / _file), else the SQLite file in state_dir.
// Throws StoreError, or std::runtime_error when the password cannot be read.
std::unique_ptr<store::Store> open_configured_store(const config::Config& config, store::OpenMode mode);

}  // namespace signalmon::app
