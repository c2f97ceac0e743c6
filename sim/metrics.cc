#include "sim/metrics.h"

#include <cmath>

#include "sim/intents.h"

namespace foldrank::sim {

double DcgAt10(std::span<const int> grades) {
  double dcg = 0;
  for (std::size_t r = 0; r < grades.size() && r < 10; ++r) {
    dcg += (std::pow(2.0, grades[r]) - 1) / std::log2(static_cast<double>(r) + 2);
  }
  return dcg;
}

double NdcgAt10(const Intent& intent, const std::vector<std::string>& ranking) {
  if (intent.ideal_dcg <= 0) return 0;
  std::vector<int> grades;
  for (std::size_t r = 0; r < ranking.size() && r < 10; ++r) {
    grades.push_back(intent.Grade(ranking[r]));
  }
  return DcgAt10(grades) / intent.ideal_dcg;
}

}  // namespace foldrank::sim
