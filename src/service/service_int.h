/* Internal to src/service/. */
#ifndef VULND_SERVICE_INT_H
#define VULND_SERVICE_INT_H
#include "vulnd/store.h"

struct vd_service {
	vd_store *store;
};

#endif
