//! Recursion: which fields close a cycle of model types, and so hold a `Box`.

use super::{Model, Shape, TypeId};
use crate::ir::NodeId;

/// Which model types contain each other directly (not through `Vec` or a map), so that the
/// fields closing such a cycle get a `Box` and the types have a finite size.
pub(super) struct Recursion {
    /// Strongly connected component of each type.
    component: Vec<usize>,
    self_loops: Vec<bool>,
}

impl Recursion {
    pub(super) fn new(model: &Model) -> Self {
        let edges: Vec<Vec<usize>> = model
            .types
            .iter()
            .map(|t| {
                let nodes: Vec<NodeId> = match &t.shape {
                    Shape::Struct { fields, .. } => fields.iter().map(|f| f.node).collect(),
                    Shape::Union { variants, .. } => variants.clone(),
                    Shape::Enum { .. } => Vec::new(),
                };
                nodes.into_iter().filter_map(|n| direct_model(model, n)).map(|t| t.0 as usize).collect()
            })
            .collect();
        let self_loops = edges.iter().enumerate().map(|(i, e)| e.contains(&i)).collect();
        Self { component: tarjan(&edges), self_loops }
    }

    pub(super) fn needs_box(&self, model: &Model, owner: TypeId, node: NodeId) -> bool {
        match direct_model(model, node) {
            Some(target) if target == owner => self.self_loops[owner.0 as usize],
            Some(target) => self.component[target.0 as usize] == self.component[owner.0 as usize],
            None => false,
        }
    }
}

/// The model type held directly at `node` (through `Option` only), if any.
fn direct_model(model: &Model, node: NodeId) -> Option<TypeId> {
    let (node, _) = model.unwrap_nullable(node);
    model.type_of(node).filter(|t| !matches!(model.type_def(*t).shape, Shape::Enum { .. }))
}

/// Tarjan's strongly connected components, iteratively so that deep graphs cannot overflow.
pub(super) fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, edge)) = work.last() {
            if edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                let top = work.len() - 1;
                work[top].1 += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::tarjan;

    #[test]
    fn finds_cycles() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0
        let c = tarjan(&[vec![1], vec![2], vec![0], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
    }
}
