#include "bench/judgments.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "bench/bench_util.h"

namespace foldrank::bench {

std::vector<JudgedQuery> ReadJudgedQueries(const std::string& path) {
  std::vector<JudgedQuery> queries;
  for (const std::string& line : ReadLines(path)) {
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    if (fields.size() != 4) {
      std::fprintf(stderr, "%s: not 4 tab-separated fields: %s\n", path.c_str(), line.c_str());
      std::exit(2);
    }
    JudgedQuery query{fields[0], fields[1], fields[2], {}};
    std::stringstream judged(fields[3]);
    for (std::string pair; judged >> pair;) {
      const std::size_t colon = pair.rfind(':');
      if (colon == std::string::npos) continue;
      const int grade = std::atoi(pair.c_str() + colon + 1);
      if (grade > 0) query.grades[pair.substr(0, colon)] = grade;
    }
    if (!query.grades.empty()) queries.push_back(std::move(query));
  }
  return queries;
}

void JudgedMeasures::Add(const std::vector<std::string>& ranked_ids, const JudgedQuery& query) {
  ++queries;
  double reciprocal_rank = 0, dcg = 0, precision_sum = 0;
  int found = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(100, ranked_ids.size()); ++i) {
    const auto judged = query.grades.find(ranked_ids[i]);
    if (judged == query.grades.end()) continue;
    ++found;
    precision_sum += static_cast<double>(found) / static_cast<double>(i + 1);
    if (i < 10) {
      if (reciprocal_rank == 0) reciprocal_rank = 1.0 / static_cast<double>(i + 1);
      dcg += (std::pow(2.0, judged->second) - 1) / std::log2(static_cast<double>(i) + 2);
    }
  }
  std::vector<int> ideal;
  for (const auto& [id, grade] : query.grades) ideal.push_back(grade);
  std::sort(ideal.rbegin(), ideal.rend());
  double ideal_dcg = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(10, ideal.size()); ++i) {
    ideal_dcg += (std::pow(2.0, ideal[i]) - 1) / std::log2(static_cast<double>(i) + 2);
  }
  const auto relevant = static_cast<double>(query.grades.size());
  mrr_at_10 += reciprocal_rank;
  recall_at_100 += found / relevant;
  ndcg_at_10 += ideal_dcg > 0 ? dcg / ideal_dcg : 0;
  map_at_100 += precision_sum / relevant;
}

}  // namespace foldrank::bench
