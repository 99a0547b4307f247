package sql

import (
	"strings"
)

// Privileges are stored as PostgreSQL stores them: an access control list
// (aclitem[]) on each table, view, sequence, schema and database. A nil
// list means "never granted or revoked": the object's default privileges
// (acldefault), which pg_class.relacl and friends show as NULL, as
// PostgreSQL does. The first GRANT or REVOKE materialises the default and
// changes it, so relacl reads {postgres=arwdDxt/postgres,app=r/postgres}.

// aclMode is a set of privileges, one bit each, in PostgreSQL's bit order
// (which is also the order aclitem text lists them in).
type aclMode uint32

const (
	privInsert     aclMode = 1 << iota // a
	privSelect                         // r
	privUpdate                         // w
	privDelete                         // d
	privTruncate                       // D
	privReferences                     // x
	privTrigger                        // t
	privExecute                        // X
	privUsage                          // U
	privCreate                         // C
	privTemporary                      // T
	privConnect                        // c
)

// aclLetters are the aclitem letters of the privileges, by bit.
const aclLetters = "arwdDxtXUCTc"

// The privileges each kind of object can carry (ACL_ALL_RIGHTS_*).
const (
	allTablePrivs    = privInsert | privSelect | privUpdate | privDelete | privTruncate | privReferences | privTrigger
	allSequencePrivs = privUsage | privSelect | privUpdate
	allSchemaPrivs   = privUsage | privCreate
	allDatabasePrivs = privCreate | privTemporary | privConnect
)

// privNames maps the privilege keywords of GRANT and the has_*_privilege
// functions to bits.
var privNames = map[string]aclMode{
	"insert": privInsert, "select": privSelect, "update": privUpdate, "delete": privDelete,
	"truncate": privTruncate, "references": privReferences, "trigger": privTrigger,
	"execute": privExecute, "usage": privUsage, "create": privCreate,
	"temporary": privTemporary, "temp": privTemporary, "connect": privConnect,
}

// privKeywords are the privilege names information_schema uses, by bit.
var privKeywords = []string{"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "EXECUTE", "USAGE", "CREATE", "TEMPORARY", "CONNECT"}

// aclItem is one grantee's privileges from one grantor. Grantee ""
// is PUBLIC. Grant holds the privileges granted WITH GRANT OPTION (a
// subset of Privs).
type aclItem struct {
	Grantee string  `json:"e"`
	Grantor string  `json:"g"`
	Privs   aclMode `json:"p"`
	Grant   aclMode `json:"o,omitempty"`
}

// String formats the item as aclitem output does: grantee=privs/grantor,
// with * after each privilege held with grant option.
func (a aclItem) String() string {
	var sb strings.Builder
	if a.Grantee != "" {
		sb.WriteString(aclQuoteName(a.Grantee))
	}
	sb.WriteByte('=')
	for i := 0; i < len(aclLetters); i++ {
		bit := aclMode(1) << i
		if a.Privs&bit != 0 {
			sb.WriteByte(aclLetters[i])
			if a.Grant&bit != 0 {
				sb.WriteByte('*')
			}
		}
	}
	sb.WriteByte('/')
	sb.WriteString(aclQuoteName(a.Grantor))
	return sb.String()
}

// aclQuoteName quotes a role name in aclitem text as putid does: only
// names with characters other than letters, digits and _ are quoted.
func aclQuoteName(n string) string {
	plain := n != ""
	for _, r := range n {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80) {
			plain = false
			break
		}
	}
	if plain {
		return n
	}
	return `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
}

// aclObjKind says which object an ACL belongs to: its default, its
// privileges and the words of its error messages.
type aclObjKind int

const (
	aclTable aclObjKind = iota
	aclView
	aclSequence
	aclSchema
	aclDatabase
	aclIndex
)

// noun is the object's name in PostgreSQL's messages ("permission denied
// for table t", "must be owner of view v").
func (k aclObjKind) noun() string {
	switch k {
	case aclView:
		return "view"
	case aclSequence:
		return "sequence"
	case aclSchema:
		return "schema"
	case aclDatabase:
		return "database"
	case aclIndex:
		return "index"
	}
	return "table"
}

// all is every privilege the kind of object can carry.
func (k aclObjKind) all() aclMode {
	switch k {
	case aclSequence:
		return allSequencePrivs
	case aclSchema:
		return allSchemaPrivs
	case aclDatabase:
		return allDatabasePrivs
	}
	return allTablePrivs
}

// relKind is the ACL kind of a relation descriptor.
func relKind(t *tableDesc) aclObjKind {
	switch t.Kind {
	case kindView:
		return aclView
	case kindSequence:
		return aclSequence
	}
	return aclTable
}

// aclDefault is PostgreSQL 15's acldefault: the owner holds every
// privilege; PUBLIC also holds CONNECT and TEMPORARY on databases. The
// public schema's default (owned by pg_database_owner, USAGE to PUBLIC)
// is schemaDefaultACL's.
func aclDefault(k aclObjKind, owner string) []aclItem {
	own := aclItem{Grantee: owner, Grantor: owner, Privs: k.all()}
	if k == aclDatabase {
		return []aclItem{{Grantee: "", Grantor: owner, Privs: privTemporary | privConnect}, own}
	}
	return []aclItem{own}
}

// aclOrDefault returns acl, or the default when none was ever stored.
func aclOrDefault(acl []aclItem, k aclObjKind, owner string) []aclItem {
	if acl == nil {
		return aclDefault(k, owner)
	}
	return acl
}

// aclText is the ACL as an aclitem[] value (a text array here), nil for
// NULL.
func aclDatum(acl []aclItem) any {
	if acl == nil {
		return nil
	}
	a := pgArray(pgText)
	for _, it := range acl {
		a.Elems = append(a.Elems, it.String())
	}
	return a
}

// aclGrant adds privs (and grant options, when withGrant) to grantee's
// item from grantor, appending an item if there is none, as aclupdate
// does.
func aclGrant(acl []aclItem, grantee, grantor string, privs aclMode, withGrant bool) []aclItem {
	out := append([]aclItem{}, acl...)
	for i := range out {
		if out[i].Grantee == grantee && out[i].Grantor == grantor {
			out[i].Privs |= privs
			if withGrant {
				out[i].Grant |= privs
			}
			return out
		}
	}
	it := aclItem{Grantee: grantee, Grantor: grantor, Privs: privs}
	if withGrant {
		it.Grant = privs
	}
	return append(out, it)
}

// aclRevoke removes privs from grantee's item from grantor (only the
// grant options when grantOptionOnly), dropping an item left empty, and
// the grants that depended on the options lost, as REVOKE ... CASCADE
// does (aclRevokeDependents tells RESTRICT's refusal beforehand).
func aclRevoke(acl []aclItem, grantee, grantor string, privs aclMode, grantOptionOnly bool) []aclItem {
	out := make([]aclItem, 0, len(acl))
	var lostOptions aclMode
	for _, it := range acl {
		if it.Grantee == grantee && it.Grantor == grantor {
			lostOptions |= it.Grant & privs
			it.Grant &^= privs
			if !grantOptionOnly {
				it.Privs &^= privs
			}
			if it.Privs == 0 {
				continue
			}
		}
		out = append(out, it)
	}
	if lostOptions != 0 && grantee != "" {
		// Grants the grantee made with the options it lost go too, unless
		// it still holds the option from another grantor.
		var still aclMode
		for _, it := range out {
			if it.Grantee == grantee {
				still |= it.Grant
			}
		}
		if gone := lostOptions &^ still; gone != 0 {
			for _, it := range append([]aclItem{}, out...) {
				if it.Grantor == grantee && it.Grantee != grantee && it.Privs&gone != 0 {
					out = aclRevoke(out, it.Grantee, grantee, gone, false)
				}
			}
		}
	}
	return out
}

// aclNewOwner rewrites the ACL for a change of owner, as aclnewowner
// does: the old owner's entries, as grantee and as grantor, become the
// new owner's, merged with any the new owner had.
func aclNewOwner(acl []aclItem, oldOwner, newOwner string) []aclItem {
	if acl == nil {
		return nil
	}
	var out []aclItem
	for _, it := range acl {
		if it.Grantee == oldOwner {
			it.Grantee = newOwner
		}
		if it.Grantor == oldOwner {
			it.Grantor = newOwner
		}
		merged := false
		for i := range out {
			if out[i].Grantee == it.Grantee && out[i].Grantor == it.Grantor {
				out[i].Privs |= it.Privs
				out[i].Grant |= it.Grant
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, it)
		}
	}
	return out
}

// aclMentions reports whether role appears in acl other than as owner
// (DROP ROLE's "privileges for ..." dependencies).
func aclMentions(acl []aclItem, role, owner string) bool {
	for _, it := range acl {
		if (it.Grantee == role || it.Grantor == role) && role != owner {
			return true
		}
	}
	return false
}

// aclRevokeDependents reports whether revoking privs from grantee's item
// from grantor would take away grant options that grantee used to grant
// to others: PostgreSQL then refuses REVOKE without CASCADE (2BP01).
func aclRevokeDependents(acl []aclItem, grantee, grantor string, privs aclMode) bool {
	var lost, still aclMode
	for _, it := range acl {
		if it.Grantee != grantee {
			continue
		}
		if it.Grantor == grantor {
			lost |= it.Grant & privs
			still |= it.Grant &^ privs
		} else {
			still |= it.Grant
		}
	}
	gone := lost &^ still
	for _, it := range acl {
		if gone != 0 && it.Grantor == grantee && it.Grantee != grantee && it.Privs&gone != 0 {
			return true
		}
	}
	return false
}
