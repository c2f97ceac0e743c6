#pragma once

#include <map>
#include <string>
#include <vector>

namespace foldrank::bench {

// One judged query of the quality suite: what a user typed, and the documents
// people (or the family's construction) judged relevant, with grades >= 1.
struct JudgedQuery {
  std::string family;  // A query family, or a test collection's name.
  std::string id;
  std::string text;
  std::map<std::string, int> grades;  // Document id -> grade.
};

// Lines `family<TAB>query id<TAB>query<TAB>doc:grade doc:grade...`
// (bench/quality/*.py); exits with a message on a malformed line.
std::vector<JudgedQuery> ReadJudgedQueries(const std::string& path);

// Sums of per-query measures over a family; each measure is averaged per query.
//  * MRR@10: 1 / rank of the first relevant document in the top 10, else 0.
//  * recall@100: the share of the relevant documents in the top 100.
//  * nDCG@10: gains 2^grade - 1, discount log2(rank + 1), ideal from the judgments.
//  * MAP@100: average precision over the top 100, divided by all relevant documents.
struct JudgedMeasures {
  double mrr_at_10 = 0, recall_at_100 = 0, ndcg_at_10 = 0, map_at_100 = 0;
  int queries = 0;
  void Add(const std::vector<std::string>& ranked_ids, const JudgedQuery& query);
  double Mean(double JudgedMeasures::*sum) const { return queries ? this->*sum / queries : 0; }
};

}  // namespace foldrank::bench
