/*
 * settings.h: the fixed list of settings (src/store/settings.c).
 */
#ifndef MMP_STORE_SETTINGS_H
#define MMP_STORE_SETTINGS_H

enum cfg_type { CFG_STR = 1, CFG_BOOL, CFG_FILE, CFG_SECRET };

struct cfg_setting {
	const char *key;
	enum cfg_type type;
	const char *service;  /* CFG_FILE: who uses the file */
	const char *freed_by; /* CFG_FILE: the command that frees it */
};

/* The setting named key, or NULL. */
const struct cfg_setting *cfg_setting_find(const char *key);
/* All settings, ending with a NULL key. */
const struct cfg_setting *cfg_settings(void);

#endif
