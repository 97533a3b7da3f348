/* LOOM_API marks the symbols libloom exports; everything else is hidden (-fvisibility=hidden). */
#ifndef LOOM_EXPORT_H
#define LOOM_EXPORT_H
#if defined(LOOM_BUILDING_LIBRARY)
#define LOOM_API __attribute__((visibility("default")))
#else
#define LOOM_API
#endif
#endif
