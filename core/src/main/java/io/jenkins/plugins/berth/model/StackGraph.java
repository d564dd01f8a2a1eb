package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order infrastructure stacks apply in. Shared stacks come first. A stack without {@code needs}
 * follows every stack before it (file order); a stack with {@code needs} follows only those (and, for
 * an environment stack, every shared stack). Stacks whose dependencies are met together form a
 * group that can apply in parallel.
 */
public final class StackGraph {
    private final List<Stack> order;
    private final Map<String, Set<String>> dependencies = new LinkedHashMap<>();

    /** Builds the graph from stacks whose names and needs are already known to be valid and acyclic. */
    public StackGraph(List<Stack> stacks) {
        List<Stack> ordered = new ArrayList<>();
        stacks.stream().filter(Stack::shared).forEach(ordered::add);
        stacks.stream().filter(s -> !s.shared()).forEach(ordered::add);
        this.order = List.copyOf(ordered);
        for (int i = 0; i < order.size(); i++) {
            Stack stack = order.get(i);
            Set<String> direct = new LinkedHashSet<>();
            if (stack.needs().isPresent()) {
                stack.needs().get().forEach(n -> direct.add(n.stack()));
                if (!stack.shared()) {
                    order.stream().filter(Stack::shared).forEach(s -> direct.add(s.name()));
                }
            } else {
                order.subList(0, i).forEach(s -> direct.add(s.name()));
            }
            direct.remove(stack.name());
            dependencies.put(stack.name(), direct);
        }
    }

    /** Stacks in the order they are listed for applying: shared first, then file order. */
    public List<Stack> order() {
        return order;
    }

    /** Every stack {@code stack} comes after, directly or not. */
    public Set<String> ancestors(String stack) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(dependencies.getOrDefault(stack, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(dependencies.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** The stacks that must be applied before {@code stack}. */
    public Set<String> dependencies(String stack) {
        return dependencies.getOrDefault(stack, Set.of());
    }

    /**
     * Groups that apply one after the other; the stacks inside a group do not depend on each other.
     * A stack's group is one more than the latest group of its dependencies.
     */
    public List<List<Stack>> groups() {
        Map<String, Integer> level = new HashMap<>();
        List<List<Stack>> groups = new ArrayList<>();
        for (Stack stack : order) {
            int mine = levelOf(stack.name(), level, new LinkedHashSet<>());
            while (groups.size() <= mine) {
                groups.add(new ArrayList<>());
            }
            groups.get(mine).add(stack);
        }
        return groups.stream().map(List::copyOf).toList();
    }

    private int levelOf(String stack, Map<String, Integer> level, Set<String> path) {
        Integer known = level.get(stack);
        if (known != null) {
            return known;
        }
        if (!path.add(stack)) {
            throw new IllegalStateException("stack dependencies form a cycle through " + path);
        }
        int mine = 0;
        for (String dependency : dependencies(stack)) {
            if (dependencies.containsKey(dependency)) {
                mine = Math.max(mine, levelOf(dependency, level, path) + 1);
            }
        }
        path.remove(stack);
        level.put(stack, mine);
        return mine;
    }

    /** A cycle among explicit needs, as the list of stacks around it, if there is one. */
    static Optional<List<String>> findCycle(List<Stack> stacks) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (Stack stack : stacks) {
            edges.put(stack.name(), stack.needs().map(n -> n.stream().map(Stack.Need::stack).toList()).orElse(List.of()));
        }
        Map<String, Integer> state = new HashMap<>();
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> cycle = visit(start, edges, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(String node, Map<String, List<String>> edges, Map<String, Integer> state,
            List<String> path) {
        int s = state.getOrDefault(node, 0);
        if (s == 2 || !edges.containsKey(node)) {
            return Optional.empty();
        }
        if (s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return Optional.of(cycle);
        }
        state.put(node, 1);
        path.add(node);
        for (String next : edges.get(node)) {
            Optional<List<String>> cycle = visit(next, edges, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return Optional.empty();
    }
}
