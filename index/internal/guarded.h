#pragma once

#include <exception>
#include <string>

#include "foldrank/result.h"
#include "index/internal/lucene.h"

namespace foldrank {

// The exception firewall: every Lucene++ call in index/ runs inside Guarded(), so
// that no exception crosses the module border. `fn` returns Status or Result<T>.
template <typename Fn>
auto Guarded(const char* what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Lucene::LuceneException& e) {
    std::string message = std::string(what) + ": " + Lucene::StringUtils::toUTF8(e.getError());
    switch (e.getType()) {  // Lucene's enum, not ours: a default is right here.
      case Lucene::LuceneException::FileNotFound:
      case Lucene::LuceneException::NoSuchDirectory:
        return Status::NotFound(std::move(message));
      case Lucene::LuceneException::CorruptIndex:
        return Status::Corruption(std::move(message));
      case Lucene::LuceneException::QueryParser:
      case Lucene::LuceneException::Lookahead:
      case Lucene::LuceneException::TooManyClauses:
        return Status::InvalidArgument(std::move(message));
      case Lucene::LuceneException::LockObtainFailed:
        return Status::Unavailable(std::move(message));
      case Lucene::LuceneException::IO:
      case Lucene::LuceneException::OutOfMemory:
        return Status::Unavailable(std::move(message));
      default:
        return Status::Internal(std::move(message));
    }
  } catch (const std::bad_alloc&) {
    return Status::Unavailable(std::string(what) + ": out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  }
}

}  // namespace foldrank
