# cmake -DIN=file -DOUT=file.cc -P embed.cmake: OpenApiDocument() returning IN's text.
file(READ ${IN} TEXT)
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include \"api.h\"\nnamespace truce::server {\nconst std::string& OpenApiDocument() {\n  static const std::string kText = R\"openapi_json(${TEXT})openapi_json\";\n  return kText;\n}\n}  // namespace truce::server\n")
