/* Internal to src/formats/: what every libxml2 reader here shares — an
 * entity loader that loads nothing (no XXE, no network) and a structured
 * error handler that keeps the first error with its line. */
#ifndef VD_FORMATS_XML_SAFE_H
#define VD_FORMATS_XML_SAFE_H
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

typedef struct {
	char msg[600];      /* first error at level ERROR or worse; "" none */
	long line;
} vd_xml_err;

/* xmlStructuredErrorFunc: arg is a vd_xml_err *. */
void vd_xml_keep_error(void *arg, xmlErrorPtr e);
/* xmlExternalEntityLoader that refuses everything. */
xmlParserInputPtr vd_xml_no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt);

#endif
