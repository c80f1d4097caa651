import { defineStore } from 'pinia'
import { childrenApi, type CategoryDef } from '@/modules/registry/api'

/** The deployment's category list (GET /categories), loaded once per session. */
export const useCategories = defineStore('categories', {
  state: () => ({ items: [] as CategoryDef[], province: '', title: '', loaded: false }),
  getters: {
    byCode: (s) => Object.fromEntries(s.items.map((c) => [c.code, c])) as Record<string, CategoryDef>,
  },
  actions: {
    async load(): Promise<CategoryDef[]> {
      if (!this.loaded) {
        const r = await childrenApi.categories()
        this.items = r.items || []
        this.province = r.province
        this.title = r.title
        this.loaded = true
      }
      return this.items
    },
  },
})
