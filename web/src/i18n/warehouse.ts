// Messages of the warehouse screens: keys under "warehouse.".
export default {
  zh: { warehouse: {} },
  en: { warehouse: {} },
}
