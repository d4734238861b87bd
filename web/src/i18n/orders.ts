// Messages of the orders screens: keys under "orders.".
export default {
  zh: { orders: {} },
  en: { orders: {} },
}
