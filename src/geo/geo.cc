#include "truce/geo/geo.h"
