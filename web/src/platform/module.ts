// A web module: one folder under web/src/modules/<name>/ with api.ts, routes.ts, i18n.zh-CN.ts / i18n.en.ts and
// views/. The platform builds the router, the side menu and the messages from the list in web/src/modules/index.ts;
// a module that is not in that list does not exist for users (no placeholder pages).
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

/** Side-menu entry of a route (route meta `menu`). The menu key is the route name (data-test `menu-<name>`). */
export interface MenuMeta {
  icon: Component
  /** Position in the menu, ascending; modules leave gaps of 10 so later ones can slot in. */
  order: number
  /** Grouped under a sub-menu (today only 'system', titled menu.system). */
  group?: 'system'
  /** A live count shown beside the entry (read reactively, e.g. from a pinia store); 0 or null shows none. */
  badge?: () => number | null | undefined
  /** Hidden for users who have any of these permissions (e.g. 我的报告 for those who see all reports). */
  unless?: string[]
  /** The badge is red (something is overdue). */
  badgeAlert?: () => boolean
}

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** The user needs at least one of these permissions. */
    perms?: string[]
    /** i18n key of the page title (top bar, menu). */
    title?: string
    menu?: MenuMeta
    /** The page shows personal data: the layout lays the viewer's watermark over it. */
    watermark?: boolean
    /** Which list InboxView shows: my to-dos or the subtree's overdue items (督办). */
    inbox?: 'mine' | 'overdue'
    /** Report channel of ReportFormView ('mandatory': a reporting unit's 强制报告). */
    channel?: string
    /** Roll-request queue shown by RollQueueView; reports list ('all' | 'mine'). */
    queue?: 'review' | 'confirm' | 'mine' | 'all'
  }
}

export interface Messages {
  [key: string]: string | Messages
}

/** A piece one module contributes to another module's page (a slot), e.g. a tab of the child file. */
export interface Extension {
  key: string
  /** i18n key of its title (a tab's label). */
  title?: string
  /** The user needs at least one of these permissions to see it. */
  perms?: string[]
  order?: number
  component: Component
  /**
   * Starts the piece's own first request as soon as the host page knows its id (for 'case.detail': the case id), before
   * the host's data has arrived, so that the page's requests run in parallel instead of one after the other. The
   * component then takes that answer once (e.g. plansApi.ofCase) instead of asking again.
   */
  preload?: (id: number) => void
}

export interface WebModule {
  name: string
  /** Pages inside the app shell (side menu, top bar). */
  routes: RouteRecordRaw[]
  /** Pages without the shell (e.g. print views). */
  bareRoutes?: RouteRecordRaw[]
  messages: { 'zh-CN': Messages; en: Messages }
  /** Widgets the module puts in the top bar (e.g. the notification bell). */
  topbar?: Component[]
  /** Pieces for other modules' pages by slot name (see platform/extensions.ts for the slots that exist). */
  extensions?: Record<string, Extension[]>
}
