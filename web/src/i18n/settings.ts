// Messages of the settings screens: keys under "settings.".
export default {
  zh: { settings: {} },
  en: { settings: {} },
}
