// Messages of the inventory screens: keys under "inventory.".
export default {
  zh: { inventory: {} },
  en: { inventory: {} },
}
