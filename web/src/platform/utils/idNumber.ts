// What a valid 居民身份证号 tells without asking the server: birth date, sex and the 6-digit region of issue
// (户籍地 at issue). 18 digits with the ISO 7064 check character, or the old 15-digit form.

export interface IdFacts {
  birth_date: string // YYYY-MM-DD
  sex: 'male' | 'female'
  region_code: string // 6 digits
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

function validDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}

/** The facts of a valid ID number, or null when it is not one (wrong length, date or check character). */
export function parseIdNumber(raw: string): IdFacts | null {
  const s = raw.trim().toUpperCase()
  let ymd: string
  let seq: number
  if (/^\d{17}[\dX]$/.test(s)) {
    let sum = 0
    for (let i = 0; i < 17; i++) sum += Number(s[i]) * WEIGHTS[i]
    if (CHECK[sum % 11] !== s[17]) return null
    ymd = s.slice(6, 14)
    seq = Number(s[16])
  } else if (/^\d{15}$/.test(s)) {
    ymd = '19' + s.slice(6, 12)
    seq = Number(s[14])
  } else {
    return null
  }
  const y = Number(ymd.slice(0, 4))
  const m = Number(ymd.slice(4, 6))
  const d = Number(ymd.slice(6, 8))
  if (y < 1900 || !validDate(y, m, d)) return null
  const birth = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`
  if (birth > new Date().toISOString().slice(0, 10)) return null
  return { birth_date: birth, sex: seq % 2 === 1 ? 'male' : 'female', region_code: s.slice(0, 6) }
}
