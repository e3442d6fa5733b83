#include "reports/detail/web_assets.hpp"

#ifndef JOURNEYSIM_WEB_MODULES
#error "JOURNEYSIM_WEB_MODULES must name the npm node_modules folder (reports/web/web_assets.cmake)"
#endif

// Each file becomes a read-only symbol pair NAME_begin / NAME_end. .incbin
// reads the bytes at assembly time, so a megabyte of JavaScript costs nothing
// to compile. Hidden: the symbols are private to the library.
#define JOURNEYSIM_EMBED(symbol, file)                               \
  asm(".section .rodata\n"                                           \
      ".hidden " #symbol "_begin\n.hidden " #symbol                  \
      "_end\n"                                                       \
      ".global " #symbol "_begin\n.global " #symbol "_end\n" #symbol \
      "_begin:\n"                                                    \
      ".incbin \"" JOURNEYSIM_WEB_MODULES "/" file "\"\n" #symbol    \
      "_end:\n"                                                      \
      ".byte 0\n"                                                    \
      ".previous\n");                                                \
  extern "C" const char symbol##_begin[];                            \
  extern "C" const char symbol##_end[];

JOURNEYSIM_EMBED(journeysim_vega_js, "vega/build/vega.min.js")
JOURNEYSIM_EMBED(journeysim_vega_lite_js, "vega-lite/build/vega-lite.min.js")
JOURNEYSIM_EMBED(journeysim_vega_embed_js, "vega-embed/build/vega-embed.min.js")
JOURNEYSIM_EMBED(journeysim_vega_license, "vega/LICENSE")
JOURNEYSIM_EMBED(journeysim_vega_lite_license, "vega-lite/LICENSE")
JOURNEYSIM_EMBED(journeysim_vega_embed_license, "vega-embed/LICENSE")

namespace journeysim::reports::detail {
namespace {

std::string_view bytes(const char* begin, const char* end) noexcept {
  return {begin, static_cast<std::size_t>(end - begin)};
}

}  // namespace

std::span<const WebLibrary> web_libraries() noexcept {
  static const WebLibrary libraries[3] = {
      {"vega", bytes(journeysim_vega_js_begin, journeysim_vega_js_end),
       bytes(journeysim_vega_license_begin, journeysim_vega_license_end)},
      {"vega-lite", bytes(journeysim_vega_lite_js_begin, journeysim_vega_lite_js_end),
       bytes(journeysim_vega_lite_license_begin, journeysim_vega_lite_license_end)},
      {"vega-embed", bytes(journeysim_vega_embed_js_begin, journeysim_vega_embed_js_end),
       bytes(journeysim_vega_embed_license_begin, journeysim_vega_embed_license_end)},
  };
  return libraries;
}

}  // namespace journeysim::reports::detail
