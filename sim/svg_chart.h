#pragma once

#include <string>
#include <vector>

#include "sim/simulation.h"

namespace foldrank::sim {

struct LabeledCurve {
  std::string click_model;
  std::string arm;
  std::vector<CurvePoint> curve;
};

// Learning curves as a standalone SVG: one panel per click model, NDCG@10 of the
// training intents (solid) and held-out intents (dashed) per arm over sessions.
std::string LearningCurvesSvg(const std::vector<LabeledCurve>& curves);

}  // namespace foldrank::sim
