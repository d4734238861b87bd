// Messages shared by every screen: the frame, the menu, login, dashboard, states.
export default {
  zh: {
    app: { name: '店铺', title: '店铺运营系统' },
    menu: {
      dashboard: '工作台', orders: '订单', import: '导入订单', print: '打印', verify: '扫描验货',
      ship: '发货', tasks: '仓库任务', handover: '交接班', inventory: '库存', recon: '快递对账',
      settings: '设置', stores: '店铺', users: '用户与角色', policy: '规则设置',
    },
    common: {
      loading: '加载中…', empty: '暂无数据', retry: '重试', save: '保存', cancel: '取消', confirm: '确认',
      search: '查询', reset: '重置', export: '导出 Excel', refresh: '刷新', actions: '操作', close: '关闭',
      yes: '是', no: '否', all: '全部', store: '店铺', saved: '已保存', language: '语言', logout: '退出登录',
      total: '共 {n} 条', totalCapped: '超过 {n} 条', error: '出错了', from: '开始日期', to: '结束日期',
      ok: '成功', failed: '失败', details: '详情', back: '返回', noStore: '没有可见的店铺',
    },
    errors: { forbidden: '当前角色无权访问此页面', notFound: '页面不存在' },
    login: {
      title: '登录店铺运营系统', username: '用户名', password: '密码', submit: '登录',
      required: '请输入用户名和密码', expired: '登录已过期，请重新登录',
    },
    stage: {
      pending_audit: '待审核', audited: '已审核', waybill_printed: '已打单', picked: '已拣货', verified: '已验货',
      packed: '已打包', shipped: '已发货', delivered: '已签收', on_hold: '挂起', cancelled: '已取消',
    },
    dashboard: {
      today: '今日订单', byStage: '按阶段', trend: '近 30 天订单与销售额', orders: '订单数', sales: '销售额',
      topSkus: '热销 SKU（近 30 天）', outOfStock: '缺货 SKU', exceptions: '异常订单', refunds: '即将超时的退款',
      refundsLater: '售后模块上线后显示', sku: 'SKU', qty: '件数', paidTotal: '实付金额', buyers: '买家数',
      last30: '近 30 天', title: '商品', welcome: '{name}，你好', noOrders: '你的角色没有订单看板；请从左侧菜单开始工作。',
    },
  },
  en: {
    app: { name: 'dianpu', title: 'dianpu operations' },
    menu: {
      dashboard: 'Dashboard', orders: 'Orders', import: 'Import', print: 'Print', verify: 'Scan & verify',
      ship: 'Ship', tasks: 'Warehouse tasks', handover: 'Handover', inventory: 'Inventory', recon: 'Courier bills',
      settings: 'Settings', stores: 'Stores', users: 'Users & roles', policy: 'Policy',
    },
    common: {
      loading: 'Loading…', empty: 'No data', retry: 'Retry', save: 'Save', cancel: 'Cancel', confirm: 'Confirm',
      search: 'Search', reset: 'Reset', export: 'Export Excel', refresh: 'Refresh', actions: 'Actions', close: 'Close',
      yes: 'Yes', no: 'No', all: 'All', store: 'Store', saved: 'Saved', language: 'Language', logout: 'Log out',
      total: '{n} in all', totalCapped: 'more than {n}', error: 'Something went wrong', from: 'From', to: 'To',
      ok: 'OK', failed: 'Failed', details: 'Details', back: 'Back', noStore: 'No store visible',
    },
    errors: { forbidden: 'Your role may not open this page', notFound: 'No such page' },
    login: {
      title: 'Sign in to dianpu', username: 'User name', password: 'Password', submit: 'Sign in',
      required: 'Enter your user name and password', expired: 'Your session has expired; please sign in again',
    },
    stage: {
      pending_audit: 'To audit', audited: 'Audited', waybill_printed: 'Printed', picked: 'Picked', verified: 'Verified',
      packed: 'Packed', shipped: 'Shipped', delivered: 'Delivered', on_hold: 'On hold', cancelled: 'Cancelled',
    },
    dashboard: {
      today: "Today's orders", byStage: 'By stage', trend: 'Orders and sales, last 30 days', orders: 'Orders',
      sales: 'Sales', topSkus: 'Top SKUs (30 days)', outOfStock: 'Out-of-stock SKUs', exceptions: 'Exceptions',
      refunds: 'Refunds near time-out', refundsLater: 'Shown once after-sales is built', sku: 'SKU', qty: 'Qty',
      paidTotal: 'Paid total', buyers: 'Buyers', last30: 'Last 30 days', title: 'Item',
      welcome: 'Hello, {name}', noOrders: 'Your role has no order dashboard; start from the menu on the left.',
    },
  },
}
