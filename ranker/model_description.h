#pragma once

#include "foldrank/models.h"
#include "ranker/model.h"

namespace foldrank {

// The model in the public API's readable form: weights by feature name.
ModelInfo DescribeModel(const Model& model);

}  // namespace foldrank
