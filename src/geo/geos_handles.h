// Ownership of GEOS objects (its reentrant C API), for the geo files that
// call GEOS (validate.cc, outline.cc, area_union.cc): a context, and the geometries and
// buffer parameters made in one, released by unique_ptr.
#pragma once

#include <geos_c.h>

#include <memory>
#include <type_traits>
#include <vector>

#include "truce/geo/geo.h"

namespace truce::geo::detail {

struct ContextDeleter {
  void operator()(GEOSContextHandle_t ctx) const { GEOS_finish_r(ctx); }
};
using Context = std::unique_ptr<std::remove_pointer_t<GEOSContextHandle_t>, ContextDeleter>;

// Made in `ctx`, which must outlive them.
struct GeometryDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using GeosGeometry = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

struct BufferParamsDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSBufferParams* p) const { GEOSBufferParams_destroy_r(ctx, p); }
};
using GeosBufferParams = std::unique_ptr<GEOSBufferParams, BufferParamsDeleter>;

// A GEOS polygon of `outer` and `holes` (x = longitude, y = latitude); null
// when GEOS refuses a ring (validate.cc).
GeosGeometry MakePolygon(GEOSContextHandle_t ctx, const Ring& outer, const std::vector<Ring>& holes);

}  // namespace truce::geo::detail
