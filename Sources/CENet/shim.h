#ifndef SEAM_CENET_SHIM_H
#define SEAM_CENET_SHIM_H
#include <enet/enet.h>
#endif
