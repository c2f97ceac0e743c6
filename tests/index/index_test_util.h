#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "index/index.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace foldrank::testing {

inline Document Doc(std::string id, std::string title, std::string body,
                    std::vector<std::string> tags = {}) {
  Document document;
  document.id = std::move(id);
  document.title = std::move(title);
  document.body = std::move(body);
  document.tags = std::move(tags);
  return document;
}

// The tiny corpus whose statistics tests compute by hand. After analysis
// (folded, stop words out, Snowball English stemming):
//   a: title [red, appl]     body [appl, red, appl, sweet]       tags [fruit]
//   b: title [green, appl]   body [green, appl, sour]
//   c: title [banana]        body [banana, yellow, sweet, soft]  tags [fruit, tropic]
// all = title + tags + body:  a: 7 tokens, b: 5, c: 7.
inline std::vector<Document> FruitCorpus() {
  return {Doc("a", "Red apple", "The apple is red and the apple is sweet", {"fruit"}),
          Doc("b", "Green apples", "Green apples are sour"),
          Doc("c", "Banana", "The banana is yellow, sweet and soft", {"fruit", "tropical"})};
}

// Options for deterministic tests: nothing happens in the background unless a
// test asks for it.
inline IndexOptions ManualOptions() {
  IndexOptions options;
  options.refresh_interval_ms = 0;
  options.commit_interval_ms = 0;
  return options;
}

// The ids of a query's candidates, best first; empty on error (which fails the test).
inline std::vector<std::string> Ids(const Index& index, std::string_view query, int k = 10,
                                    QueryMode mode = QueryMode::kPlain) {
  auto result = index.Snapshot()->Candidates(query, k, mode);
  EXPECT_TRUE(result.has_value()) << result.status().ToString();
  std::vector<std::string> ids;
  if (result) {
    for (const Candidate& candidate : result->candidates) ids.push_back(candidate.id);
  }
  return ids;
}

inline bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace foldrank::testing
