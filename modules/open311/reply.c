/*
 * reply.c - one answer, two formats: a jansson value rendered as JSON, or as
 * the specification's XML with libxml2's xmlwriter (which escapes text and
 * writes the declaration with encoding="UTF-8"), never by concatenation.
 */
#include "ok_i18n.h"
#include "ok_problem.h"
#include "open311.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

open311_format open311_format_of(const ok_request *req)
{
    size_t length = strlen(req->path);
    return length >= 4 && strcmp(req->path + length - 4, ".xml") == 0 ? OPEN311_XML : OPEN311_JSON;
}

/* The element of an item of the array named name: "endpoints" -> "endpoint". */
static const char *reply_item_name(ok_arena *arena, const char *name)
{
    size_t length = strlen(name);
    if (length > 1 && name[length - 1] == 's')
        return ok_arena_strndup(arena, name, length - 1);
    return name;
}

/* Writes value as the element name; <0 when the writer failed. */
static int reply_xml_value(ok_arena *arena, xmlTextWriterPtr writer, const char *name,
                           const char *item, json_t *value)
{
    const xmlChar *element = (const xmlChar *)name;
    char number[64];
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *member;
        if (xmlTextWriterStartElement(writer, element) < 0)
            return -1;
        json_object_foreach(value, key, member) if (reply_xml_value(arena, writer, key, NULL,
                                                                    member) < 0) return -1;
        return xmlTextWriterEndElement(writer);
    }
    case JSON_ARRAY: {
        size_t index;
        json_t *member;
        const char *child = item != NULL ? item : reply_item_name(arena, name);
        if (xmlTextWriterStartElement(writer, element) < 0)
            return -1;
        json_array_foreach(value, index, member) if (reply_xml_value(arena, writer, child, NULL,
                                                                     member) < 0) return -1;
        return xmlTextWriterEndElement(writer);
    }
    case JSON_STRING:
        return xmlTextWriterWriteElement(writer, element,
                                         (const xmlChar *)json_string_value(value));
    case JSON_INTEGER:
        snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return xmlTextWriterWriteElement(writer, element, (const xmlChar *)number);
    case JSON_REAL:
        snprintf(number, sizeof(number), "%.17g", json_real_value(value));
        return xmlTextWriterWriteElement(writer, element, (const xmlChar *)number);
    case JSON_TRUE:
    case JSON_FALSE:
        return xmlTextWriterWriteElement(writer, element,
                                         (const xmlChar *)(json_is_true(value) ? "true" : "false"));
    case JSON_NULL: /* an empty element, as the specification's <account_id/> */
        if (xmlTextWriterStartElement(writer, element) < 0)
            return -1;
        return xmlTextWriterEndElement(writer);
    }
    return -1;
}

/* Answers body as XML; -1 when libxml2 failed (out of memory). */
static int reply_xml(ok_request *req, int status, json_t *body, const char *root, const char *item)
{
    xmlBufferPtr buffer = xmlBufferCreate();
    xmlTextWriterPtr writer = buffer != NULL ? xmlNewTextWriterMemory(buffer, 0) : NULL;
    int ok = writer != NULL && xmlTextWriterStartDocument(writer, "1.0", "UTF-8", NULL) >= 0 &&
             reply_xml_value(req->arena, writer, root, item, body) >= 0 &&
             xmlTextWriterEndDocument(writer) >= 0;
    if (writer != NULL)
        xmlFreeTextWriter(writer); /* flushes into buffer */
    if (ok)
        ok_http_respond(req, status, "text/xml; charset=utf-8",
                        (const char *)xmlBufferContent(buffer), (size_t)xmlBufferLength(buffer));
    if (buffer != NULL)
        xmlBufferFree(buffer);
    return ok ? 0 : -1;
}

void open311_reply(ok_request *req, open311_format format, int status, json_t *body,
                   const char *root, const char *item)
{
    if (format == OPEN311_JSON) {
        ok_http_respond_json_new(req, status, body);
        return;
    }
    int rc = body != NULL ? reply_xml(req, status, body, root, item) : -1;
    json_decref(body);
    if (rc != 0)
        ok_problem(req, 500, "The response could not be encoded.");
}

void open311_error(ok_request *req, open311_format format, int status, const char *english)
{
    const char *description = ok_i18n_text(ok_i18n_language(req), english);
    ok_http_header(req, "Content-Language", ok_i18n_language(req));
    open311_reply(req, format, status,
                  json_pack("[{s:i, s:s}]", "code", status, "description", description), "errors",
                  "error");
}
