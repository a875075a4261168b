// The error every store backend throws, so callers catch one type whatever database is behind it.
#pragma once

#include <stdexcept>

namespace signalmon::store {

// A store operation that failed (the database's own message). Operations on the poll path return
// their errors in std::expected instead; the rest throw this.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace signalmon::store
